import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  CaseDeadlineRow,
  CaseMemberRow,
  CasePromiseRow,
  deleteCaseRows,
  inTransaction,
  insertRows,
  rawQuery,
  type CaseRelation,
} from '../libs/persistence/src';
import type { ProjectionPart, ProjectionUpsert } from './contracts';
import { parseInput } from './errors';
import { projectionInput } from './inputs';

/** The columns of `cases`, in the order of the upsert below. */
const CASE_COLUMNS = [
  'id',
  'variant_key',
  'variant_version',
  'phase',
  'state',
  'caseworker_sub',
  'caseworker_unit',
  'coordinator_subs',
  'next_due_at',
  'closed_reason',
  'updated_at',
  'last_seq',
  'view',
] as const;

/**
 * One statement on both databases (SQLite ≥ 3.35, PostgreSQL ≥ 9.5): insert, or update only when the
 * stored projection is not newer. RETURNING yields the id only when a row was written. On PostgreSQL the
 * conflicting row stays locked until commit, so concurrent writers of one case take turns.
 */
const UPSERT_CASE = `INSERT INTO cases (${CASE_COLUMNS.join(', ')})
VALUES (${CASE_COLUMNS.map((c) => `:${c}`).join(', ')})
ON CONFLICT (id) DO UPDATE SET ${CASE_COLUMNS.filter((c) => c !== 'id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}
WHERE cases.last_seq <= excluded.last_seq
RETURNING id`;

/**
 * Writes the read model of a case inside the caller's transaction, if `view.lastSeq` is not older than the
 * stored one (an older write, such as a late retry, changes nothing): `cases`, and its promises, pending
 * deadlines and members replaced, except the parts in `keep`, which the caller knows to be stored already.
 */
export async function writeProjection(
  manager: EntityManager,
  input: ProjectionUpsert,
  keep: readonly ProjectionPart[] = [],
): Promise<void> {
  const { view, deadlines } = parseInput(projectionInput, input, 'upsertProjection');
  const caseId = view.id;
  const dues = deadlines.map((d) => d.dueAt).sort();
  const caseRow: Record<(typeof CASE_COLUMNS)[number], unknown> = {
    id: caseId,
    variant_key: view.variant.key,
    variant_version: view.variant.version,
    phase: view.phase,
    state: JSON.stringify(view.state),
    caseworker_sub: view.caseworker.sub,
    caseworker_unit: view.caseworker.unit,
    coordinator_subs: JSON.stringify(view.coordinators.map((c) => c.sub)),
    next_due_at: dues[0] ?? null,
    closed_reason: view.closedReason,
    updated_at: view.updatedAt,
    last_seq: view.lastSeq,
    // The view as the workflow computed it: what `GET /cases/:id` and the update answer return.
    view: JSON.stringify(input.view),
  };

  const promises = view.promises.map((p): CasePromiseRow => ({
    caseId,
    promiseId: p.id,
    owner: p.owner,
    verifier: p.verifier,
    dueAt: p.dueAt,
    status: p.status,
    escalation: p.escalation,
  }));
  const deadlineRows = deadlines.map((d, pos): CaseDeadlineRow => ({
    caseId,
    pos,
    kind: d.kind,
    ref: d.ref,
    level: d.level ?? null,
    dueAt: d.dueAt,
  }));
  const members = new Map<string, CaseMemberRow>();
  const member = (sub: string, relation: CaseRelation) =>
    members.set(`${relation}\u0000${sub}`, { caseId, sub, relation });
  member(view.caseworker.sub, 'caseworker');
  for (const c of view.coordinators) member(c.sub, 'coordinator');

  const written = await rawQuery(manager, UPSERT_CASE, caseRow);
  if (written.length === 0) return; // the stored projection is newer
  for (const [part, entity, rows] of [
    ['promises', CasePromiseRow, promises],
    ['deadlines', CaseDeadlineRow, deadlineRows],
    ['members', CaseMemberRow, [...members.values()]],
  ] as const) {
    if (keep.includes(part)) continue;
    await deleteCaseRows(manager, entity, caseId);
    await insertRows(manager, entity, rows);
  }
}

/** Writes the read model of a case. */
@Injectable()
export class ProjectionActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The projection in a transaction of its own (histories recorded before `recordEvent`). */
  upsertProjection(input: ProjectionUpsert): Promise<void> {
    return inTransaction(this.dataSource, (manager) => writeProjection(manager, input));
  }
}
