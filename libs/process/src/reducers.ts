import type { CaseEvent, EventType, PayloadOf } from '../../contracts/src';
import { promiseIndex, type CaseContext, type PromiseRecord } from './context';
import {
  promiseAtIndex,
  promiseCount,
  withPromiseAt,
  withPromisesAdded,
  type PromiseList,
} from './promise-list';
import { matchDueStep, seriesKey } from './deadlines';
import { addDuration } from './duration';
import type { VariantConfig } from './variant-config';

/** A named state change: pure, from the case and one accepted event to the fields that change. */
export type Reducer = (
  ctx: CaseContext,
  event: CaseEvent,
  config: VariantConfig,
  params: { phase?: string },
) => Partial<CaseContext>;

const payload = <T extends EventType>(event: CaseEvent, _type: T) => event.payload as PayloadOf<T>;

function withNewPromises(
  ctx: CaseContext,
  inputs: { what: string; owner: string; verifier: string; dueAt: string }[],
): PromiseList {
  const count = promiseCount(ctx.promises);
  const made = inputs.map((p, i) => ({ ...p, id: `p${count + i + 1}`, status: 'open' as const }));
  return withPromisesAdded(ctx.promises, made);
}

function reviewed(ctx: CaseContext, event: CaseEvent): PromiseList {
  let promises = ctx.promises;
  for (const r of payload(event, 'meeting.held').reviews) {
    const i = promiseIndex(ctx, r.promiseId);
    const p = promiseAtIndex(promises, i);
    if (!p) continue;
    const note = r.outcome === 'notKept' ? (r.newSolution ?? r.note) : r.note;
    promises = withPromiseAt(promises, i, { ...p, status: r.outcome, ...(note ? { note } : {}) });
  }
  return promises;
}

/** The series of a meeting end when another is awaited: their counts go, so `timers` stays small. */
function meetingSeriesEnded(ctx: CaseContext, keep: string | null): Record<string, number> {
  const timers: Record<string, number> = {};
  for (const [key, steps] of Object.entries(ctx.timers)) {
    const [kind, ...ref] = key.split(':');
    const meeting = kind === 'meeting' || kind === 'meetingReminder' || kind === 'meetingDate';
    if (!meeting || ref.join(':') === keep) timers[key] = steps;
  }
  return timers;
}

/** The list with one promise resolved. */
function resolvePromise(
  ctx: CaseContext,
  id: string,
  status: PromiseRecord['status'],
  note?: string,
): PromiseList {
  const i = promiseIndex(ctx, id);
  const p = promiseAtIndex(ctx.promises, i);
  return p ? withPromiseAt(ctx.promises, i, { ...p, status, ...(note ? { note } : {}) }) : ctx.promises;
}

/** Every state change of the process, by name. Actions of the statecharts are exactly these. */
export const reducers = {
  stamp: (ctx, ev) => ({ seq: ctx.seq + 1, updatedAt: ev.at }),
  recordAgreement: (_ctx, ev) => {
    const { crisis, ...agreement } = payload(ev, 'agreement.recorded');
    return { agreement: { at: ev.at, ...agreement }, crisis: crisis ?? null };
  },
  assignCoordinator: (ctx, ev) => {
    const { coordinatorId, unit } = payload(ev, 'coordinator.assigned');
    return { coordinators: [...ctx.coordinators, { sub: coordinatorId, unit }] };
  },
  mapParticipants: (_ctx, ev) => ({ participants: payload(ev, 'participants.mapped').participants }),
  appointSupportPerson: (_ctx, ev) => ({ supportPerson: payload(ev, 'supportPerson.appointed') }),
  receiveSummary: (ctx, ev) => {
    const s = payload(ev, 'summary.received');
    const others = ctx.summaries.filter((x) => x.professional !== s.professional);
    return { summaries: [...others, { ...s, oral: s.oral ?? false }] };
  },
  scheduleMeeting: (ctx, ev) => {
    const { at, place } = payload(ev, 'meeting.scheduled');
    return { nextMeetingAt: at, meetingPlace: place, timers: meetingSeriesEnded(ctx, at) };
  },
  openConference: () => ({ nextMeetingAt: null }),
  recordChildWishes: (_ctx, ev) => {
    const { childWishes, recordedBy } = payload(ev, 'information.completed');
    return { childWishes: { text: childWishes, recordedBy } };
  },
  recordPlan: (ctx, ev) => ({
    plan: { ...ctx.plan, items: payload(ev, 'deliberation.completed').plan.items },
  }),
  recordRejection: (ctx) => ({ plan: { ...ctx.plan, rejections: ctx.plan.rejections + 1 } }),
  approvePlan: (ctx, ev, config) => {
    const after = 'firstFollowUpAfter' in config.durations ? config.durations.firstFollowUpAfter : 'P56D';
    return {
      promises: withNewPromises(ctx, ctx.plan.items),
      nextMeetingAt: payload(ev, 'plan.approved').firstFollowUpAt ?? addDuration(ev.at, after),
    };
  },
  closeAsNoAgreement: () => ({ closedReason: 'noAgreement', nextMeetingAt: null }),
  holdMeeting: (ctx, ev) => {
    const m = payload(ev, 'meeting.held');
    const promises = withNewPromises({ ...ctx, promises: reviewed(ctx, ev) }, m.newPromises);
    return {
      promises,
      meetingsHeld: ctx.meetingsHeld + 1,
      nextMeetingAt: m.nextMeetingAt ?? null,
      timers: meetingSeriesEnded(ctx, m.nextMeetingAt ?? null),
    };
  },
  closeByMeeting: (_ctx, ev) => ({ closedReason: payload(ev, 'meeting.held').close?.reason ?? 'other' }),
  /**
   * network-mapping: the meeting's plan is what the letter carries; closure waits for the letter. Each
   * meeting's letter is a new deadline, so its ladder starts again from its first step.
   */
  recordMappingPlan: (ctx, ev, config) => {
    const m = payload(ev, 'meeting.held');
    const within = 'planLetterWithin' in config.durations ? config.durations.planLetterWithin : 'P3D';
    const { [seriesKey('planLetter', 'planLetter')]: _previousLetter, ...timers } = ctx.timers;
    return {
      plan: { ...ctx.plan, items: m.newPromises },
      planLetterDueAt: addDuration(ev.at, within),
      pendingClose: m.close ?? null,
      timers,
    };
  },
  sendPlanLetter: (ctx) => ({
    planLetterDueAt: null,
    ...(ctx.pendingClose ? { closedReason: ctx.pendingClose.reason, nextMeetingAt: null } : {}),
  }),
  makePromise: (ctx, ev) => ({ promises: withNewPromises(ctx, [payload(ev, 'promise.made')]) }),
  keepPromise: (ctx, ev) => {
    const { promiseId, note } = payload(ev, 'promise.kept');
    return { promises: resolvePromise(ctx, promiseId, 'kept', note) };
  },
  markPromiseNotKept: (ctx, ev) => {
    const { promiseId, newSolution } = payload(ev, 'promise.notKept');
    return { promises: resolvePromise(ctx, promiseId, 'notKept', newSolution) };
  },
  closeCase: (_ctx, ev) => ({ closedReason: payload(ev, 'case.closed').reason, nextMeetingAt: null }),
  /** Reconvening: a new conference deadline from now, its ladder from the first step. */
  reopenCase: (ctx, ev) => {
    const { [seriesKey('conference', 'conference')]: _previousDeadline, ...timers } = ctx.timers;
    return {
      closedReason: null,
      pendingClose: null,
      nextMeetingAt: null,
      planLetterDueAt: null,
      plan: { items: [], rejections: 0 },
      reconvenedAt: ev.at,
      timers,
    };
  },
  recordTimerStep: (ctx, ev, config, params) => {
    const step = params.phase ? matchDueStep(config, params.phase, ctx, ev) : undefined;
    if (!step) return {};
    if (step.kind === 'promise') {
      const i = promiseIndex(ctx, step.ref);
      const p = promiseAtIndex(ctx.promises, i)!;
      return { promises: withPromiseAt(ctx.promises, i, { ...p, laddered: (p.laddered ?? 0) + 1 }) };
    }
    const key = seriesKey(step.kind, step.ref);
    return { timers: { ...ctx.timers, [key]: (ctx.timers[key] ?? 0) + 1 } };
  },
} satisfies Record<string, Reducer>;

export type ReducerName = keyof typeof reducers;

/**
 * Effects: what the workflow must do outside the process after an accepted event (besides appending
 * to the audit log and writing the projection, which follow every event).
 */
export const effects = {
  notifyRecipients: (_ctx: CaseContext, ev: CaseEvent) => ({ event: ev.type, ...(ev.payload as object) }),
  renderMemo: (ctx: CaseContext) => ({
    document: 'memo',
    meeting: ctx.meetingsHeld,
    recipients: ctx.participants.map((p) => p.id),
  }),
  renderPlanLetter: (ctx: CaseContext) => ({
    document: 'planLetter',
    items: ctx.plan.items,
    recipients: ctx.participants.map((p) => p.id),
  }),
} as const;

export type EffectName = keyof typeof effects;
export interface Effect {
  type: EffectName;
  params: Record<string, unknown>;
}
