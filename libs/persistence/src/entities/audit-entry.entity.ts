import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../json';

/** One accepted event of a case, chained by hash (contract.md "Audit endpoints"). Append-only. */
@Entity('audit_entries')
export class AuditEntryRow {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @PrimaryColumn({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'at', type: 'varchar', length: 24 })
  at!: string;

  @Column({ name: 'actor_sub', type: 'varchar', length: 200 })
  actorSub!: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 32 })
  actorRole!: string;

  @Column({ name: 'type', type: 'varchar', length: 100 })
  type!: string;

  @Column({ name: 'payload', type: 'text', transformer: jsonText<unknown>() })
  payload!: unknown;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ name: 'hash', type: 'varchar', length: 64 })
  hash!: string;
}
