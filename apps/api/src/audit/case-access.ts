import type { DataSource } from 'typeorm';
import { CaseRow } from '../../../../libs/persistence/src';
import type { Principal } from '../auth/principal';
import { ApiError } from '../errors/api-error';
import { visibleAs } from '../policy/policy';

/** What the audit endpoints need of a case's projection row. */
export type CaseHead = Pick<
  CaseRow,
  'id' | 'variantKey' | 'variantVersion' | 'caseworkerSub' | 'caseworkerUnit' | 'coordinatorSubs' | 'lastSeq'
>;

const HEAD_COLUMNS = {
  id: true,
  variantKey: true,
  variantVersion: true,
  caseworkerSub: true,
  caseworkerUnit: true,
  coordinatorSubs: true,
  lastSeq: true,
} as const;

const factsOf = (head: CaseHead) => ({
  caseworkerSub: head.caseworkerSub,
  unit: head.caseworkerUnit,
  coordinatorSubs: head.coordinatorSubs,
});

const notFound = (caseId: string) =>
  new ApiError('not_found', `There is no case ${caseId} that you can see.`);

/**
 * The case, if it exists and the caller may see it; otherwise 404 (contract.md: unknown and not visible
 * answer alike, and before any other check).
 */
export async function visibleCase(db: DataSource, principal: Principal, caseId: string): Promise<CaseHead> {
  const row =
    caseId.length <= 100
      ? await db.getRepository(CaseRow).findOne({ where: { id: caseId }, select: HEAD_COLUMNS })
      : null;
  if (!row) throw notFound(caseId);
  if (!visibleAs(principal, factsOf(row))) throw notFound(caseId);
  return row;
}

/** Auditor-only endpoints: 403 for anyone else (after the 404 of `visibleCase` where a case is named). */
export function requireAuditor(principal: Principal, what: string): void {
  if (!principal.roles.includes('auditor')) {
    throw new ApiError('forbidden', `Only an auditor may ${what}.`);
  }
}

/** The role a read of this case relied on, for the access log (the policy's reading order). */
export function roleRelied(principal: Principal, head: CaseHead): string {
  return visibleAs(principal, factsOf(head)) ?? 'unknown';
}
