import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every pending timer step of a case (not only the next per series), for the inbox and `overdue`.
 * `pos` is the step's place in the projection's list: (kind, ref, level) need not be unique, since the
 * first step of a deadline series has no level and a variant may repeat a level.
 */
@Entity('case_deadlines')
@Index('idx_case_deadlines_due_at', ['dueAt'])
export class CaseDeadlineRow {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @PrimaryColumn({ name: 'pos', type: 'integer' })
  pos!: number;

  @Column({ name: 'kind', type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'ref', type: 'varchar', length: 200 })
  ref!: string;

  @Column({ name: 'level', type: 'varchar', length: 64, nullable: true })
  level!: string | null;

  @Column({ name: 'due_at', type: 'varchar', length: 24 })
  dueAt!: string;
}
