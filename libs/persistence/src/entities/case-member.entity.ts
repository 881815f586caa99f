import { Entity, Index, PrimaryColumn } from 'typeorm';

export type CaseRelation = 'caseworker' | 'coordinator';

/** Who is assigned to a case, for authorisation and "my cases" listings. */
@Entity('case_members')
@Index('idx_case_members_sub', ['sub'])
export class CaseMemberRow {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @PrimaryColumn({ name: 'sub', type: 'varchar', length: 200 })
  sub!: string;

  @PrimaryColumn({ name: 'relation', type: 'varchar', length: 16 })
  relation!: CaseRelation;
}
