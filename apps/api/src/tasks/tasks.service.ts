import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { CaseView } from '../../../../libs/contracts/src';
import { rawQuery } from '../../../../libs/persistence/src';
import {
  addDuration,
  recipientsOf,
  type CaseContext,
  type VariantConfig,
} from '../../../../libs/process/src';
import type { Principal } from '../auth/principal';
import { decodeCursor, pageOf, type Page } from '../paging';
import { PinnedConfigService } from '../audit/pinned-config.service';

export type TaskKind = 'promiseDue' | 'promiseLapsed' | 'meetingSoon' | 'approval' | 'escalation';

export interface TaskItem {
  caseId: string;
  kind: TaskKind;
  dueAt: string;
  ref: string;
}

/** How far ahead the inbox looks (contract.md: "due or overdue now and in the next 7 days"). */
export const TASK_HORIZON_MS = 7 * 86_400_000;

const taskCursor = z.tuple([z.string(), z.string(), z.string(), z.string()]);

/** The ladder's first step is the owner's reminder (`reminder.sent`); every later level is an escalation. */
const REMINDER = 'reminder';

interface CaseColumns {
  case_id: string;
  caseworker_sub: string;
  caseworker_unit: string;
  coordinator_subs: string;
  variant_key: string;
  variant_version: number | string;
}

type PromiseRowRaw = CaseColumns & {
  promise_id: string;
  owner: string;
  verifier: string;
  due_at: string;
  escalation: string | null;
};

type DeadlineRowRaw = CaseColumns & {
  kind: string;
  ref: string;
  level: string;
  due_at: string;
  promise_owner: string | null;
  promise_verifier: string | null;
};

interface MemberCaseRaw {
  case_id: string;
  relation: string;
  phase: string;
  updated_at: string;
  view: string;
}

const CASE_SELECT = `c.id AS case_id, c.caseworker_sub, c.caseworker_unit, c.coordinator_subs, c.variant_key, c.variant_version`;
const MY_CASES = `(SELECT m.case_id FROM case_members m WHERE m.sub = :sub)`;

/**
 * The caller's inbox, from the projection tables (cases, case_members, case_promises, case_deadlines) and
 * the ladders of the pinned variant versions (immutable, to know whom each ladder level notifies). Closed
 * cases show nothing. "Now + 7 days" is the horizon; everything due before it, overdue included, is shown.
 *
 * - promiseDue: an open promise due before the horizon whose ladder has not passed its reminder, for its
 *   owner, its verifier and the case's caseworker and coordinators. ref = promise id, dueAt = its due time.
 * - promiseLapsed: the same promise once its escalation has reached a level after the reminder (`lapsed`,
 *   `coordinator`, `supervisor`): it replaces promiseDue.
 * - meetingSoon: a case whose next meeting (`nextMeetingAt`, the conference or a follow-up or network
 *   meeting not yet held) is before the horizon, overdue included, for the caseworker and coordinators.
 *   ref = dueAt = the meeting time (the `ref` of the meeting's deadline series).
 * - approval: a case in phase `presentation` (the plan waits for the caseworker's approval or rejection),
 *   for its caseworker. ref = 'plan', dueAt = the case's last change (when the plan was presented).
 * - escalation: a pending ladder step after the reminder (a `case_deadlines` row with level lapsed,
 *   coordinator, supervisor, …) due before the horizon whose recipients, resolved as the workflow will
 *   resolve them (`recipientsOf`), include the caller; a role address `role:supervisor@<unit>` includes every
 *   user holding that role in that unit. Once a promise's step has been raised its row is gone, so an open
 *   promise whose reached level notifies a caller who gets no promise item for it (the unit supervisor)
 *   stays in that caller's inbox as an escalation, due when the step was raised. ref = the deadline's ref
 *   (promise id, `conference`, `planLetter` or the meeting time), dueAt = the step's time; one item per
 *   case and ref, the earliest.
 *   The projection keeps no trace of a raised step of a conference, plan-letter or meeting deadline, so
 *   those show while pending only (their later steps, to others, still show while pending).
 *
 * Sorted by dueAt, then case id, kind and ref; paged with an opaque cursor over that key.
 */
@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PinnedConfigService) private readonly configs: PinnedConfigService,
  ) {}

  async tasksFor(
    principal: Principal,
    page: { limit: number; cursor?: string },
    now: Date = new Date(),
  ): Promise<Page<TaskItem>> {
    const after = decodeCursor(page.cursor, taskCursor);
    const items = await this.allTasks(principal, now);
    const keyOf = (t: TaskItem) => [t.dueAt, t.caseId, t.kind, t.ref] as const;
    const rest = after ? items.filter((t) => compareKeys(keyOf(t), after) > 0) : items;
    return pageOf(rest.slice(0, page.limit + 1), page.limit, (t) => t, keyOf);
  }

  /** Every task of the caller, sorted. */
  async allTasks(principal: Principal, now: Date): Promise<TaskItem[]> {
    const horizon = new Date(now.getTime() + TASK_HORIZON_MS).toISOString();
    const supervisor = principal.roles.includes('supervisor');
    const params = { sub: principal.sub, unit: principal.unit, horizon };
    const manager = this.db.manager;
    const [members, promises, deadlines] = await Promise.all([
      rawQuery<MemberCaseRaw>(
        manager,
        `SELECT m.case_id, m.relation, c.phase, c.updated_at, c.view
           FROM case_members m JOIN cases c ON c.id = m.case_id
          WHERE m.sub = :sub AND c.phase <> 'closed'`,
        params,
      ),
      rawQuery<PromiseRowRaw>(
        manager,
        `SELECT ${CASE_SELECT}, p.promise_id, p.owner, p.verifier, p.due_at, p.escalation
           FROM case_promises p JOIN cases c ON c.id = p.case_id
          WHERE p.status = 'open' AND c.phase <> 'closed' AND p.due_at <= :horizon
            AND (p.owner = :sub OR p.verifier = :sub OR p.case_id IN ${MY_CASES}
                 ${supervisor ? `OR (c.caseworker_unit = :unit AND p.escalation IS NOT NULL AND p.escalation <> '${REMINDER}')` : ''})`,
        params,
      ),
      rawQuery<DeadlineRowRaw>(
        manager,
        `SELECT ${CASE_SELECT}, d.kind, d.ref, d.level, d.due_at, p.owner AS promise_owner, p.verifier AS promise_verifier
           FROM case_deadlines d JOIN cases c ON c.id = d.case_id
           LEFT JOIN case_promises p ON d.kind = 'promise' AND p.case_id = d.case_id AND p.promise_id = d.ref
          WHERE d.level IS NOT NULL AND d.level <> '${REMINDER}' AND d.due_at <= :horizon AND c.phase <> 'closed'
            AND (d.case_id IN ${MY_CASES} OR p.owner = :sub OR p.verifier = :sub
                 ${supervisor ? 'OR c.caseworker_unit = :unit' : ''})`,
        params,
      ),
    ]);

    const tasks: TaskItem[] = [];
    const myCases = new Set(members.map((m) => m.case_id));

    for (const m of members) {
      if (m.relation === 'caseworker' && m.phase === 'presentation') {
        tasks.push({ caseId: m.case_id, kind: 'approval', dueAt: m.updated_at, ref: 'plan' });
      }
    }
    for (const caseId of myCases) {
      const row = members.find((m) => m.case_id === caseId)!;
      const at = nextMeetingOf(row.view);
      if (at && at <= horizon) tasks.push({ caseId, kind: 'meetingSoon', dueAt: at, ref: at });
    }

    for (const p of promises) {
      const related = p.owner === principal.sub || p.verifier === principal.sub || myCases.has(p.case_id);
      const reached = p.escalation !== null && p.escalation !== REMINDER;
      if (related) {
        tasks.push({
          caseId: p.case_id,
          kind: reached ? 'promiseLapsed' : 'promiseDue',
          dueAt: p.due_at,
          ref: p.promise_id,
        });
        continue;
      }
      if (!reached) continue;
      const config = await this.configs.configOf(p.variant_key, Number(p.variant_version));
      const step = config.escalation.find(
        (s) =>
          s.level === p.escalation &&
          addresses(
            principal,
            recipientsOf(contextOf(p), s.notify, { owner: [p.owner], verifier: [p.verifier] }),
          ),
      );
      if (step)
        tasks.push({
          caseId: p.case_id,
          kind: 'escalation',
          dueAt: addDuration(p.due_at, step.after),
          ref: p.promise_id,
        });
    }

    for (const d of deadlines) {
      const config = await this.configs.configOf(d.variant_key, Number(d.variant_version));
      if (addresses(principal, recipientsAt(config, d))) {
        tasks.push({ caseId: d.case_id, kind: 'escalation', dueAt: d.due_at, ref: d.ref });
      }
    }

    return earliestPerRef(tasks).sort((a, b) =>
      compareKeys([a.dueAt, a.caseId, a.kind, a.ref], [b.dueAt, b.caseId, b.kind, b.ref]),
    );
  }
}

/** The case's people as the ladder resolves them; the rest of the context plays no part in `recipientsOf`. */
function contextOf(row: CaseColumns): CaseContext {
  const coordinators = (JSON.parse(row.coordinator_subs) as string[]).map((sub) => ({ sub, unit: '' }));
  return {
    caseworker: { sub: row.caseworker_sub, unit: row.caseworker_unit },
    coordinators,
  } as unknown as CaseContext;
}

/** Who a pending step notifies: the union over the ladder's steps of that level (a variant may repeat one). */
function recipientsAt(config: VariantConfig, d: DeadlineRowRaw): string[] {
  const ctx = contextOf(d);
  // As in the process: a promise's subject is its owner and verifier; other series are the organisers'.
  const subject =
    d.kind === 'promise'
      ? {
          owner: d.promise_owner ? [d.promise_owner] : [],
          verifier: d.promise_verifier ? [d.promise_verifier] : [],
        }
      : {
          owner: ctx.coordinators.length ? ctx.coordinators.map((c) => c.sub) : [ctx.caseworker.sub],
          verifier: [ctx.caseworker.sub],
        };
  return config.escalation
    .filter((s) => s.level === d.level)
    .flatMap((s) => recipientsOf(ctx, s.notify, subject));
}

/** A recipient is a user id, a participant id or a role address `role:<role>@<unit>`. */
function addresses(principal: Principal, recipients: readonly string[]): boolean {
  const roleAddresses = new Set(principal.roles.map((r) => `role:${r}@${principal.unit}`));
  return recipients.some((r) => r === principal.sub || roleAddresses.has(r));
}

function nextMeetingOf(viewText: string): string | null {
  try {
    return (JSON.parse(viewText) as Pick<CaseView, 'nextMeetingAt'>).nextMeetingAt ?? null;
  } catch {
    return null;
  }
}

function earliestPerRef(tasks: TaskItem[]): TaskItem[] {
  const best = new Map<string, TaskItem>();
  for (const t of tasks) {
    const key = JSON.stringify([t.caseId, t.kind, t.ref]);
    const seen = best.get(key);
    if (!seen || t.dueAt < seen.dueAt) best.set(key, t);
  }
  return [...best.values()];
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
