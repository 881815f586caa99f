import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '../../../../libs/contracts/src';
import { CaseRow } from '../../../../libs/persistence/src';
import type { Principal } from '../auth/principal';
import { ApiError } from '../errors/api-error';
import { visibleAs, type CaseFacts } from '../policy/policy';

export interface CaseRecord {
  id: string;
  variant: { key: string; version: number };
  facts: CaseFacts;
}

/** A case id the caller may not know about is answered exactly like one that does not exist. */
export const caseNotFound = (id: string) =>
  new ApiError('not_found', `There is no case ${id} that you can see.`);

/** Reads the projection's assignment columns: enough to authorise, without the case content. */
@Injectable()
export class CaseRecords {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async find(id: string): Promise<CaseRecord | undefined> {
    const row = await this.db.getRepository(CaseRow).findOne({
      select: {
        id: true,
        variantKey: true,
        variantVersion: true,
        caseworkerSub: true,
        caseworkerUnit: true,
        coordinatorSubs: true,
      },
      where: { id },
    });
    if (!row) return undefined;
    return {
      id: row.id,
      variant: { key: row.variantKey, version: row.variantVersion },
      facts: {
        caseworkerSub: row.caseworkerSub,
        unit: row.caseworkerUnit,
        coordinatorSubs: row.coordinatorSubs,
      },
    };
  }

  /** The case and the role the caller sees it through; 404 when it does not exist or is not visible. */
  async visible(principal: Principal, id: string): Promise<{ record: CaseRecord; role: Role }> {
    const record = id.length <= 100 ? await this.find(id) : undefined;
    const role = record ? visibleAs(principal, record.facts) : null;
    if (!record || !role) throw caseNotFound(id);
    return { record, role };
  }
}
