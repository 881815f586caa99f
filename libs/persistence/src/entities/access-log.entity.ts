import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One read of case content (view, history, state, export): who, which case, when, what. Append-only. */
@Entity('access_log')
@Index('idx_access_log_case_id', ['caseId'])
@Index('idx_access_log_sub', ['sub'])
@Index('idx_access_log_at', ['at'])
export class AccessLogRow {
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'integer' })
  id!: number;

  @Column({ name: 'at', type: 'varchar', length: 24 })
  at!: string;

  @Column({ name: 'sub', type: 'varchar', length: 200 })
  sub!: string;

  @Column({ name: 'role', type: 'varchar', length: 32 })
  role!: string;

  /** Null for reads that span cases (a list); content reads always name their case. */
  @Column({ name: 'case_id', type: 'varchar', length: 100, nullable: true })
  caseId!: string | null;

  @Column({ name: 'action', type: 'varchar', length: 64 })
  action!: string;
}
