/**
 * The catalogue of rules and reducers: every name is known here (a new one must be pinned by a test
 * before this passes), every one is used by some statechart, and the branch rules, which only pick
 * between outcomes, are checked directly.
 */
import type { AnyStateNode } from 'xstate';
import type { CaseEvent } from '../../../libs/contracts/src';
import {
  builtInVariants,
  effects,
  machineOf,
  reducers,
  rules,
  type CaseContext,
  type Rule,
  type RuleName,
  type VariantConfig,
} from '../../../libs/process/src';
import { actors, at, ev, fgc, fgcConfig, networkMeeting, opened } from '../../support/scenarios';

const ruleNames = [
  'agreementRecorded',
  'attendeesKnown',
  'childVoiceAvailable',
  'closeReasonAllowed',
  'closesCase',
  'continuationAgreed',
  'continuesCase',
  'coordinatorIndependentOfCaseworker',
  'coordinatorNotYetAssigned',
  'coordinatorOutsideCaseworkerUnit',
  'coordinatorPlaceOpen',
  'coordinatorsAssigned',
  'crisisGivenWhenRequired',
  'crisisRecorded',
  'droppedHasReason',
  'everyOpenPromiseReviewed',
  'everyPresentParticipantPromised',
  'followUpInFuture',
  'isMeetingDate',
  'meetingInFuture',
  'meetingScheduled',
  'nextDateOrClosure',
  'nextMeetingInFuture',
  'notKeptHasNewSolution',
  'oralSummaryAllowed',
  'participantsMapped',
  'planDueDatesInFuture',
  'planHasItems',
  'planPartiesKnown',
  'promiseDueInFuture',
  'promiseIsOpen',
  'promisePartiesKnown',
  'rejectionRoundsLeft',
  'reviewsNameOpenPromises',
  'someOpenPromise',
  'summariesReceived',
  'summaryFromAgreedProfessional',
  'supportPersonAppointed',
  'supportPersonForMappedFamilyMember',
  'timerStepDue',
];

const reducerNames = [
  'approvePlan',
  'assignCoordinator',
  'appointSupportPerson',
  'closeAsNoAgreement',
  'closeByMeeting',
  'closeCase',
  'holdMeeting',
  'keepPromise',
  'makePromise',
  'mapParticipants',
  'markPromiseNotKept',
  'openConference',
  'receiveSummary',
  'recordAgreement',
  'recordChildWishes',
  'recordMappingPlan',
  'recordPlan',
  'recordRejection',
  'recordTimerStep',
  'reopenCase',
  'scheduleMeeting',
  'sendPlanLetter',
  'stamp',
];

/** Names of the refusals `apply` and `fold` make before any phase rule. */
const processChecks = [
  'payloadMatchesSchema',
  'timersRaisedByWorkflowOnly',
  'timeMovesForward',
  'eventAllowedInPhase',
  'historyStartsWithOpening',
];

function nameOf(part: unknown): string {
  return typeof part === 'string' ? part : String((part as { type?: unknown }).type);
}

/** Every guard and action name used by the built-in statecharts. */
function usedNames() {
  const guards = new Set<string>();
  const actions = new Set<string>();
  const walk = (node: AnyStateNode) => {
    for (const list of node.transitions.values()) {
      for (const t of list) {
        const g = t.guard as unknown;
        const parts = typeof g === 'function' ? ((g as { guards?: unknown[] }).guards ?? []) : g ? [g] : [];
        parts.forEach((p) => guards.add(nameOf(p)));
        t.actions.forEach((a) => actions.add(nameOf(a)));
      }
    }
    Object.values(node.states).forEach(walk);
  };
  builtInVariants.forEach((c) => walk(machineOf(c).root));
  return { guards, actions };
}

describe('the catalogue of rules and reducers', () => {
  it('lists every rule of the process (a new rule needs its tests and a line here)', () => {
    expect(Object.keys(rules).sort()).toEqual([...ruleNames].sort());
  });

  it('lists every reducer (a new state change needs its tests and a line here)', () => {
    expect(Object.keys(reducers).sort()).toEqual([...reducerNames].sort());
    expect(Object.keys(effects).sort()).toEqual(['notifyRecipients', 'renderMemo', 'renderPlanLetter']);
  });

  it('every rule guards some transition, and guards are only rules', () => {
    const { guards } = usedNames();
    expect([...guards].sort()).toEqual([...ruleNames].sort());
  });

  it('every reducer and effect is an action of some transition, and actions are only these', () => {
    const { actions } = usedNames();
    expect([...actions].sort()).toEqual([...reducerNames, ...Object.keys(effects)].sort());
  });

  it('the process checks made before the phase rules have names of their own', () => {
    for (const name of processChecks) expect(Object.keys(rules)).not.toContain(name);
  });

  it.each(Object.entries(rules))('%s has a kind and one sentence a person can act on', (_name, rule) => {
    expect(['state', 'event', 'branch']).toContain(rule.kind);
    expect(rule.message).toMatch(/^\S.*[.)]$/);
  });
});

/** A rule's check, called the way the statecharts call it. */
const check = (name: RuleName, ctx: CaseContext, event: CaseEvent, config: VariantConfig) =>
  (rules[name] as Rule).check(ctx, event, config, {});

describe('branch rules pick between the outcomes of one event', () => {
  const ctx = (change: Partial<CaseContext> = {}): CaseContext => ({ ...opened(fgc()).context, ...change });
  const meetingHeld = (end: { nextMeetingAt?: string; close?: { reason: 'needsMet' } }) =>
    ev('meeting.held', { attendees: ['cw1'], reviews: [], newPromises: [], ...end }, at(10), actors.co);
  const timer = (type: string, payload: object) =>
    ({ type, at: at(10), actor: actors.system, payload }) as CaseEvent;
  const none = ev('case.closed', { reason: 'other' }, at(10));

  it('rejectionRoundsLeft: fewer rejections than maxRejectionRounds; never in a variant without rounds', () => {
    const holds = (rejections: number, config = fgc()) =>
      check('rejectionRoundsLeft', ctx({ plan: { items: [], rejections } }), none, config);
    expect([0, 1, 2, 3].map((n) => holds(n))).toEqual([true, true, false, false]);
    expect(holds(0, networkMeeting())).toBe(false);
  });

  it('closesCase and continuesCase follow the meeting’s ending', () => {
    const closing = meetingHeld({ close: { reason: 'needsMet' } });
    const continuing = meetingHeld({ nextMeetingAt: at(40) });
    expect(check('closesCase', ctx(), closing, fgc())).toBe(true);
    expect(check('closesCase', ctx(), continuing, fgc())).toBe(false);
    expect(check('continuesCase', ctx(), continuing, fgc())).toBe(true);
    expect(check('continuesCase', ctx(), closing, fgc())).toBe(false);
  });

  it('nextDateOrClosure: exactly one of a next date and a closure (rule 14)', () => {
    const holds = (end: Parameters<typeof meetingHeld>[0]) =>
      check('nextDateOrClosure', ctx(), meetingHeld(end), fgc());
    expect(holds({ nextMeetingAt: at(40) })).toBe(true);
    expect(holds({ close: { reason: 'needsMet' } })).toBe(true);
    expect(holds({})).toBe(false);
    expect(holds({ nextMeetingAt: at(40), close: { reason: 'needsMet' } })).toBe(false);
  });

  it('continuationAgreed: the mapping meeting did not decide to close', () => {
    expect(check('continuationAgreed', ctx(), none, fgc())).toBe(true);
    expect(check('continuationAgreed', ctx({ pendingClose: { reason: 'needsMet' } }), none, fgc())).toBe(
      false,
    );
  });

  it('isMeetingDate: only the meeting date’s deadline', () => {
    const holds = (event: CaseEvent) => check('isMeetingDate', ctx(), event, networkMeeting());
    expect(holds(timer('deadline.reached', { kind: 'meetingDate', ref: at(35) }))).toBe(true);
    expect(holds(timer('deadline.reached', { kind: 'planLetter', ref: 'planLetter' }))).toBe(false);
    expect(holds(timer('reminder.sent', { meetingAt: at(35), recipients: ['cw1'] }))).toBe(false);
  });

  it('crisisRecorded: only a variant that requires a crisis needs one in the case', () => {
    const acuteLike = { ...fgcConfig(), rules: { ...fgcConfig().rules, crisisRequired: true } };
    expect(check('crisisRecorded', ctx(), none, fgc())).toBe(true);
    expect(check('crisisRecorded', ctx(), none, acuteLike)).toBe(false);
    expect(check('crisisRecorded', ctx({ crisis: 'emergency placement' }), none, acuteLike)).toBe(true);
  });
});
