import type { CaseEvent, PayloadOf, EventType } from '../../contracts/src';
import { hasOpenPromise, knownParties, openPromises, promiseById, type CaseContext } from './context';
import { matchDueStep } from './deadlines';
import type { VariantConfig } from './variant-config';

/**
 * `state` rules read only the case, so they decide `allowedEvents`; `event` rules also read the payload;
 * `branch` rules only pick between two outcomes of one event and are never named as the reason for a refusal.
 */
export type RuleKind = 'state' | 'event' | 'branch';

export interface Rule {
  kind: RuleKind;
  /** One sentence a person can act on, shown with a 409. */
  message: string;
  check(ctx: CaseContext, event: CaseEvent, config: VariantConfig, params: { phase?: string }): boolean;
}

const payload = <T extends EventType>(event: CaseEvent, _type: T) => event.payload as PayloadOf<T>;
const later = (a: string, b: string) => Date.parse(a) > Date.parse(b);
const sameName = (a: string, b: string) =>
  a.trim().toLocaleLowerCase('fi') === b.trim().toLocaleLowerCase('fi');

function requiredCoordinators(config: VariantConfig): number {
  if (config.template === 'fgc' || config.template === 'acute') return config.counts.coordinatorsRequired;
  if (config.template === 'network-mapping') return config.counts.leadersRequired;
  return 0;
}

const reviewsOf = (event: CaseEvent) => payload(event, 'meeting.held').reviews;
const newPromisesOf = (event: CaseEvent) =>
  event.type === 'meeting.held' ? payload(event, 'meeting.held').newPromises : [];

/** Every rule of the process, by name. Guards of the statecharts are exactly these. */
export const rules = {
  // --- preparation (domain.md §2.1 A1, §3.2) ---
  agreementRecorded: {
    kind: 'state',
    message: 'Record the agreement with the family first.',
    check: (ctx) => ctx.agreement !== null,
  },
  crisisGivenWhenRequired: {
    kind: 'event',
    message: 'This variant is for a crisis or an emergency placement: describe it in `crisis`.',
    check: (_ctx, ev, config) =>
      !('rules' in config && 'crisisRequired' in config.rules && config.rules.crisisRequired) ||
      !!payload(ev, 'agreement.recorded').crisis,
  },
  coordinatorPlaceOpen: {
    kind: 'state',
    message: 'All the coordinators this variant needs are already assigned.',
    check: (ctx, _ev, config) => ctx.coordinators.length < requiredCoordinators(config),
  },
  coordinatorNotYetAssigned: {
    kind: 'event',
    message: 'This coordinator is already assigned to the case.',
    check: (ctx, ev) =>
      !ctx.coordinators.some((c) => c.sub === payload(ev, 'coordinator.assigned').coordinatorId),
  },
  coordinatorIndependentOfCaseworker: {
    kind: 'event',
    message: "The case's own social worker cannot coordinate or lead its meeting (domain.md §3.2 rule 1).",
    check: (ctx, ev) => payload(ev, 'coordinator.assigned').coordinatorId !== ctx.caseworker.sub,
  },
  coordinatorOutsideCaseworkerUnit: {
    kind: 'event',
    message: "A coordinator may not belong to the caseworker's unit (domain.md §3.2 rule 1).",
    check: (ctx, ev, config) =>
      !(
        'rules' in config &&
        'coordinatorFromOtherUnit' in config.rules &&
        config.rules.coordinatorFromOtherUnit
      ) || !sameName(payload(ev, 'coordinator.assigned').unit, ctx.caseworker.unit),
  },
  coordinatorsAssigned: {
    kind: 'state',
    message: 'Assign the coordinators this variant needs first.',
    check: (ctx, _ev, config) => ctx.coordinators.length >= requiredCoordinators(config),
  },
  participantsMapped: {
    kind: 'state',
    message: 'Map the participants first: the family decides who is invited.',
    check: (ctx) => ctx.participants.length > 0,
  },
  supportPersonForMappedFamilyMember: {
    kind: 'event',
    message: 'The support person (avustaja) is appointed for a mapped family member, normally the child.',
    check: (ctx, ev) => {
      const id = payload(ev, 'supportPerson.appointed').forParticipantId;
      return ctx.participants.some((p) => p.id === id && p.side === 'family');
    },
  },
  supportPersonAppointed: {
    kind: 'state',
    message: 'Appoint a support person (avustaja) for the child first.',
    check: (ctx, _ev, config) =>
      !('rules' in config && 'supportPersonRequired' in config.rules && config.rules.supportPersonRequired) ||
      ctx.supportPerson !== null,
  },
  summaryFromAgreedProfessional: {
    kind: 'event',
    message: 'Summaries come from the professionals named in the agreement (domain.md §3.2 rule 6).',
    check: (ctx, ev) => {
      const s = payload(ev, 'summary.received');
      return !!ctx.agreement?.professionals.some((p) => sameName(p.name, s.professional));
    },
  },
  oralSummaryAllowed: {
    kind: 'event',
    message: 'This variant needs written summaries.',
    check: (_ctx, ev, config) =>
      !payload(ev, 'summary.received').oral ||
      ('rules' in config && 'oralSummariesAllowed' in config.rules && config.rules.oralSummariesAllowed),
  },
  summariesReceived: {
    kind: 'state',
    message:
      "Every professional named in the agreement must send a summary, with the family's disclosure decision.",
    check: (ctx) =>
      !!ctx.agreement &&
      ctx.agreement.professionals.every((p) => ctx.summaries.some((s) => sameName(s.professional, p.name))),
  },
  meetingInFuture: {
    kind: 'event',
    message: 'A meeting is scheduled for a time in the future.',
    check: (_ctx, ev) => later(payload(ev, 'meeting.scheduled').at, ev.at),
  },
  meetingScheduled: {
    kind: 'state',
    message: 'Schedule the meeting first.',
    check: (ctx) => ctx.nextMeetingAt !== null,
  },
  crisisRecorded: {
    kind: 'state',
    message: 'An acute conference needs the crisis or emergency placement recorded in the agreement.',
    check: (ctx, _ev, config) =>
      !('rules' in config && 'crisisRequired' in config.rules && config.rules.crisisRequired) || !!ctx.crisis,
  },
  attendeesKnown: {
    kind: 'event',
    message: 'Attendees are mapped participants or the case’s own workers.',
    check: (ctx, ev) => {
      const known = knownParties(ctx);
      return (ev.payload as { attendees: string[] }).attendees.every((a) => known.has(a));
    },
  },
  // --- conference (§2.1 A2–A4) ---
  childVoiceAvailable: {
    kind: 'event',
    message:
      'The child’s wishes are told by the child or by the appointed support person (domain.md §3.2 rule 5).',
    check: (ctx, ev) =>
      payload(ev, 'information.completed').recordedBy === 'child' || ctx.supportPerson !== null,
  },
  planPartiesKnown: {
    kind: 'event',
    message:
      'Every plan item needs an owner and a verifier who take part in the case (domain.md §3.2 rule 10).',
    check: (ctx, ev) => {
      const known = knownParties(ctx);
      return payload(ev, 'deliberation.completed').plan.items.every(
        (i) => known.has(i.owner) && known.has(i.verifier),
      );
    },
  },
  planDueDatesInFuture: {
    kind: 'event',
    message: 'Every plan item is due in the future (domain.md §3.2 rule 10: who does what and when).',
    check: (_ctx, ev) => payload(ev, 'deliberation.completed').plan.items.every((i) => later(i.dueAt, ev.at)),
  },
  followUpInFuture: {
    kind: 'event',
    message: 'The first follow-up meeting is set in the future.',
    check: (_ctx, ev) => {
      const at = payload(ev, 'plan.approved').firstFollowUpAt;
      return at === undefined || later(at, ev.at);
    },
  },
  rejectionRoundsLeft: {
    kind: 'branch',
    message: 'No rejection rounds are left.',
    check: (ctx, _ev, config) =>
      'counts' in config &&
      'maxRejectionRounds' in config.counts &&
      ctx.plan.rejections < config.counts.maxRejectionRounds,
  },
  // --- meetings and promises (§2.4, §3.2 rules 12–14) ---
  everyOpenPromiseReviewed: {
    kind: 'event',
    message:
      'A meeting reviews every open promise: kept, not kept with a new solution, or dropped (domain.md §3.2 rule 12).',
    check: (ctx, ev) => {
      const reviewed = new Set(reviewsOf(ev).map((r) => r.promiseId));
      return openPromises(ctx).every((p) => reviewed.has(p.id));
    },
  },
  reviewsNameOpenPromises: {
    kind: 'event',
    message: 'Each review names an open promise, once.',
    check: (ctx, ev) => {
      const open = new Set(openPromises(ctx).map((p) => p.id));
      const ids = reviewsOf(ev).map((r) => r.promiseId);
      return ids.every((id) => open.has(id)) && new Set(ids).size === ids.length;
    },
  },
  notKeptHasNewSolution: {
    kind: 'event',
    message: 'A promise reviewed as not kept needs a new solution in `newSolution` (domain.md §3.2 rule 12).',
    check: (_ctx, ev) => reviewsOf(ev).every((r) => r.outcome !== 'notKept' || !!r.newSolution),
  },
  droppedHasReason: {
    kind: 'event',
    message: 'A dropped promise needs a reason in `note`.',
    check: (_ctx, ev) => reviewsOf(ev).every((r) => r.outcome !== 'dropped' || !!r.note),
  },
  promisePartiesKnown: {
    kind: 'event',
    message: 'A promise’s owner and verifier take part in the case.',
    check: (ctx, ev) => {
      const known = knownParties(ctx);
      const list = ev.type === 'promise.made' ? [payload(ev, 'promise.made')] : newPromisesOf(ev);
      return list.every((p) => known.has(p.owner) && known.has(p.verifier));
    },
  },
  promiseDueInFuture: {
    kind: 'event',
    message: 'A promise is due in the future.',
    check: (_ctx, ev) => {
      const list = ev.type === 'promise.made' ? [payload(ev, 'promise.made')] : newPromisesOf(ev);
      return list.every((p) => later(p.dueAt, ev.at));
    },
  },
  everyPresentParticipantPromised: {
    kind: 'event',
    message: 'Every participant present makes at least one concrete promise (domain.md §3.2 rule 12).',
    check: (ctx, ev, config) => {
      if (!('rules' in config && 'promisePerPresentParticipant' in config.rules)) return true;
      if (!config.rules.promisePerPresentParticipant) return true;
      const m = payload(ev, 'meeting.held');
      const participants = new Set(ctx.participants.map((p) => p.id));
      return m.attendees
        .filter((a) => participants.has(a))
        .every((a) => m.newPromises.some((p) => p.owner === a));
    },
  },
  planHasItems: {
    kind: 'event',
    message: 'The meeting writes a plan: at least one agreed thing with its responsible person.',
    check: (_ctx, ev) => payload(ev, 'meeting.held').newPromises.length > 0,
  },
  nextDateOrClosure: {
    kind: 'event',
    message:
      'A meeting ends with a next meeting date or a closure decision, never neither (domain.md §3.2 rule 14).',
    check: (_ctx, ev) => {
      const m = payload(ev, 'meeting.held');
      return (m.nextMeetingAt === undefined) !== (m.close === undefined);
    },
  },
  closesCase: {
    kind: 'branch',
    message: 'The meeting decided to close the case.',
    check: (_ctx, ev) => payload(ev, 'meeting.held').close !== undefined,
  },
  continuesCase: {
    kind: 'branch',
    message: 'The meeting set a next date.',
    check: (_ctx, ev) => payload(ev, 'meeting.held').nextMeetingAt !== undefined,
  },
  nextMeetingInFuture: {
    kind: 'event',
    message: 'The next meeting is set in the future.',
    check: (_ctx, ev) => {
      const at = payload(ev, 'meeting.held').nextMeetingAt;
      return at === undefined || later(at, ev.at);
    },
  },
  closeReasonAllowed: {
    kind: 'event',
    message: 'This variant closes only for the reasons its config lists.',
    check: (_ctx, ev, config) => {
      if (!('closeReasons' in config)) return true;
      const reason =
        ev.type === 'meeting.held'
          ? payload(ev, 'meeting.held').close?.reason
          : payload(ev, 'case.closed').reason;
      return reason === undefined || config.closeReasons.includes(reason);
    },
  },
  someOpenPromise: {
    kind: 'state',
    message: 'There is no open promise.',
    check: (ctx) => hasOpenPromise(ctx),
  },
  promiseIsOpen: {
    kind: 'event',
    message: 'Only an open promise can be marked kept or not kept.',
    check: (ctx, ev) => {
      const id = (ev.payload as { promiseId: string }).promiseId;
      return promiseById(ctx, id)?.status === 'open';
    },
  },
  continuationAgreed: {
    kind: 'branch',
    message: 'The meeting agreed a continuation.',
    check: (ctx) => ctx.pendingClose === null,
  },
  // --- timers (raised by the workflow only) ---
  timerStepDue: {
    kind: 'event',
    message: 'Timer events are raised by the workflow when a deadline step is due.',
    check: (ctx, ev, config, params) => !!params.phase && !!matchDueStep(config, params.phase, ctx, ev),
  },
  isMeetingDate: {
    kind: 'branch',
    message: 'The next meeting’s date has come.',
    check: (_ctx, ev) =>
      ev.type === 'deadline.reached' && payload(ev, 'deadline.reached').kind === 'meetingDate',
  },
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof rules;
