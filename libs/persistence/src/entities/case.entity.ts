import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CaseView } from '../../../contracts/src';
import { jsonText } from '../json';

/** The read model of a case (its projection): what `GET /cases` lists and `GET /cases/:id` returns. */
@Entity('cases')
@Index('idx_cases_updated_at_id', ['updatedAt', 'id'])
@Index('idx_cases_phase', ['phase'])
@Index('idx_cases_variant_key', ['variantKey'])
@Index('idx_cases_caseworker_unit', ['caseworkerUnit'])
@Index('idx_cases_next_due_at', ['nextDueAt'])
export class CaseRow {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 100 })
  id!: string;

  @Column({ name: 'variant_key', type: 'varchar', length: 100 })
  variantKey!: string;

  @Column({ name: 'variant_version', type: 'integer' })
  variantVersion!: number;

  @Column({ name: 'phase', type: 'varchar', length: 64 })
  phase!: string;

  @Column({ name: 'state', type: 'text', transformer: jsonText<CaseView['state']>() })
  state!: CaseView['state'];

  @Column({ name: 'caseworker_sub', type: 'varchar', length: 200 })
  caseworkerSub!: string;

  @Column({ name: 'caseworker_unit', type: 'varchar', length: 200 })
  caseworkerUnit!: string;

  @Column({ name: 'coordinator_subs', type: 'text', transformer: jsonText<string[]>() })
  coordinatorSubs!: string[];

  /** The earliest pending deadline step; `overdue=true` is `next_due_at < now`. */
  @Column({ name: 'next_due_at', type: 'varchar', length: 24, nullable: true })
  nextDueAt!: string | null;

  @Column({ name: 'closed_reason', type: 'varchar', length: 32, nullable: true })
  closedReason!: string | null;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt!: string;

  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  @Column({ name: 'view', type: 'text', transformer: jsonText<CaseView>() })
  view!: CaseView;
}
