import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A promise of a case as the projection lists it, for the task inbox. Replaced on every projection write. */
@Entity('case_promises')
@Index('idx_case_promises_due_at', ['dueAt'])
export class CasePromiseRow {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @PrimaryColumn({ name: 'promise_id', type: 'varchar', length: 100 })
  promiseId!: string;

  @Column({ name: 'owner', type: 'varchar', length: 200 })
  owner!: string;

  @Column({ name: 'verifier', type: 'varchar', length: 200 })
  verifier!: string;

  @Column({ name: 'due_at', type: 'varchar', length: 24 })
  dueAt!: string;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  /** The highest ladder level reached so far, or null. */
  @Column({ name: 'escalation', type: 'varchar', length: 64, nullable: true })
  escalation!: string | null;
}
