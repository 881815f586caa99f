import type { CaseView } from '../../contracts/src';
import { promisesOf } from './context';
import { seriesKey } from './deadlines';
import { allowedEvents, deadlinesOf, phaseOf, type CaseSnapshot } from './process';
import type { VariantConfig } from './variant-config';

/** The case view of contract.md, derived from a snapshot and its pinned config. */
export function viewOf(config: VariantConfig, snapshot: CaseSnapshot): CaseView {
  const ctx = snapshot.context;
  const nextPerSeries = new Map<string, CaseView['deadlines'][number]>();
  for (const d of deadlinesOf(config, snapshot)) {
    const key = seriesKey(d.kind, d.ref);
    if (!nextPerSeries.has(key))
      nextPerSeries.set(key, {
        kind: d.kind,
        ref: d.ref,
        dueAt: d.dueAt,
        ...(d.level ? { level: d.level } : {}),
      });
  }
  return {
    id: ctx.caseId,
    variant: ctx.variant,
    phase: phaseOf(snapshot.value),
    state: snapshot.value as CaseView['state'],
    allowedEvents: allowedEvents(config, snapshot),
    caseworker: ctx.caseworker,
    coordinators: ctx.coordinators,
    participants: ctx.participants,
    plan: { items: ctx.plan.items, rejections: ctx.plan.rejections },
    promises: promisesOf(ctx).map((p) => {
      const done = p.laddered ?? 0;
      const { id, what, owner, verifier, dueAt, status, note } = p;
      const escalation = done > 0 ? (config.escalation[done - 1]?.level ?? null) : null;
      return { id, what, owner, verifier, dueAt, status, escalation, ...(note ? { note } : {}) };
    }),
    deadlines: [...nextPerSeries.values()],
    nextMeetingAt: ctx.nextMeetingAt,
    closedReason: ctx.closedReason,
    updatedAt: ctx.updatedAt,
    lastSeq: ctx.seq,
  };
}
