import { and, assign, setup, type AnyStateMachine } from 'xstate';
import type { CaseEvent } from '../../contracts/src';
import { initialContext, type CaseContext, type CaseInput } from './context';
import { effects, reducers, type EffectName, type ReducerName } from './reducers';
import { rules, type RuleName } from './rules';
import type { VariantConfig } from './variant-config';

type GuardRef = RuleName | { type: 'timerStepDue'; params: { phase: string } };
type ActionRef =
  | ReducerName
  | { type: 'recordTimerStep'; params: { phase: string } }
  | { type: EffectName; params: unknown };

/** A transition: the rules that must hold (all of them), then `stamp` and the named actions. */
function go(target: string | undefined, guards: GuardRef[], actions: ActionRef[]) {
  return {
    ...(target ? { target } : {}),
    ...(guards.length ? { guard: and(guards as never) } : {}),
    actions: ['stamp', ...actions],
  };
}

const effect = (type: EffectName): ActionRef => ({
  type,
  params: ({ context, event }: { context: CaseContext; event: CaseEvent }) => effects[type](context, event),
});

function timers(phase: string) {
  const due: GuardRef = { type: 'timerStepDue', params: { phase } };
  const record: ActionRef = { type: 'recordTimerStep', params: { phase } };
  return {
    'reminder.sent': go(undefined, [due], [record, effect('notifyRecipients')]),
    'escalation.raised': go(undefined, [due], [record, effect('notifyRecipients')]),
    'deadline.reached': go(undefined, [due], [record]),
  };
}

const promises = {
  'promise.made': go(undefined, ['promisePartiesKnown', 'promiseDueInFuture'], ['makePromise']),
  'promise.kept': go(undefined, ['someOpenPromise', 'promiseIsOpen'], ['keepPromise']),
  'promise.notKept': go(undefined, ['someOpenPromise', 'promiseIsOpen'], ['markPromiseNotKept']),
};

const close = { 'case.closed': go('#case.closed', ['closeReasonAllowed'], ['closeCase']) };
const reschedule = { 'meeting.scheduled': go(undefined, ['meetingInFuture'], ['scheduleMeeting']) };
const reviewRules: RuleName[] = [
  'attendeesKnown',
  'everyOpenPromiseReviewed',
  'reviewsNameOpenPromises',
  'notKeptHasNewSolution',
  'droppedHasReason',
  'promisePartiesKnown',
  'promiseDueInFuture',
];

/** fgc and acute: läheisneuvonpito and akuuttineuvonpito (domain.md §2.1–2.2). */
function conferenceStates() {
  return {
    /** valmisteluvaihe */
    preparation: {
      initial: 'awaitingAgreement',
      states: {
        awaitingAgreement: {
          on: { 'agreement.recorded': go('preparing', ['crisisGivenWhenRequired'], ['recordAgreement']) },
        },
        preparing: {},
      },
      on: {
        'coordinator.assigned': go(
          undefined,
          [
            'agreementRecorded',
            'coordinatorPlaceOpen',
            'coordinatorNotYetAssigned',
            'coordinatorIndependentOfCaseworker',
            'coordinatorOutsideCaseworkerUnit',
          ],
          ['assignCoordinator'],
        ),
        'participants.mapped': go(undefined, ['agreementRecorded'], ['mapParticipants']),
        'supportPerson.appointed': go(
          undefined,
          ['agreementRecorded', 'participantsMapped', 'supportPersonForMappedFamilyMember'],
          ['appointSupportPerson'],
        ),
        'summary.received': go(
          undefined,
          ['agreementRecorded', 'summaryFromAgreedProfessional', 'oralSummaryAllowed'],
          ['receiveSummary'],
        ),
        'meeting.scheduled': go(undefined, ['agreementRecorded', 'meetingInFuture'], ['scheduleMeeting']),
        'conference.opened': go(
          '#case.information',
          [
            'agreementRecorded',
            'crisisRecorded',
            'coordinatorsAssigned',
            'participantsMapped',
            'supportPersonAppointed',
            'summariesReceived',
            'meetingScheduled',
            'attendeesKnown',
          ],
          ['openConference'],
        ),
        ...close,
        ...timers('preparation'),
      },
    },
    /** tiedonanto */
    information: {
      on: {
        'information.completed': go('privateDeliberation', ['childVoiceAvailable'], ['recordChildWishes']),
        ...close,
        ...timers('information'),
      },
    },
    /**
     * läheisten neuvonpito: professionals and coordinators are absent, so only the family's outcome is
     * recorded (product.md): a plan or no agreement; no `case.closed` by the absent caseworker.
     */
    privateDeliberation: {
      on: {
        'deliberation.completed': go(
          'presentation',
          ['planPartiesKnown', 'planDueDatesInFuture'],
          ['recordPlan'],
        ),
        'deliberation.failed': go('closed', [], ['closeAsNoAgreement']),
        ...timers('privateDeliberation'),
      },
    },
    /** suunnitelman esittely ja hyväksyminen */
    presentation: {
      on: {
        'plan.approved': go('followUp', ['followUpInFuture'], ['approvePlan']),
        'plan.rejected': [
          go('privateDeliberation', ['rejectionRoundsLeft'], ['recordRejection']),
          go('closed', [], ['recordRejection', 'closeAsNoAgreement']),
        ],
        ...close,
        ...timers('presentation'),
      },
    },
    /** seuranta */
    followUp: {
      initial: 'awaitingMeeting',
      states: { awaitingMeeting: {} },
      on: {
        'meeting.held': [
          go('#case.closed', ['closesCase', ...reviewRules], ['holdMeeting', 'closeByMeeting']),
          go(undefined, ['continuesCase', ...reviewRules, 'nextMeetingInFuture'], ['holdMeeting']),
        ],
        ...promises,
        ...close,
        ...timers('followUp'),
      },
    },
    closed: {
      on: {
        'case.reopened': [
          go('#case.preparation.preparing', ['agreementRecorded'], ['reopenCase']),
          go('#case.preparation.awaitingAgreement', [], ['reopenCase']),
        ],
      },
    },
  };
}

/** network-mapping: Läheisverkoston kartoitus -malli (domain.md §2.3). */
function networkMappingStates() {
  const meetingRules: RuleName[] = [
    ...reviewRules,
    'planHasItems',
    'nextDateOrClosure',
    'nextMeetingInFuture',
    'closeReasonAllowed',
  ];
  const held = {
    'meeting.held': go('#case.planDelivery', meetingRules, ['holdMeeting', 'recordMappingPlan']),
  };
  const letter = ['sendPlanLetter', effect('renderPlanLetter')] as ActionRef[];
  return {
    preparation: {
      on: {
        'coordinator.assigned': go(
          undefined,
          ['coordinatorPlaceOpen', 'coordinatorNotYetAssigned', 'coordinatorIndependentOfCaseworker'],
          ['assignCoordinator'],
        ),
        'participants.mapped': go(undefined, [], ['mapParticipants']),
        'meeting.scheduled': go(
          'meeting',
          ['coordinatorsAssigned', 'participantsMapped', 'meetingInFuture'],
          ['scheduleMeeting'],
        ),
        ...close,
        ...timers('preparation'),
      },
    },
    meeting: { on: { ...held, ...reschedule, ...close, ...timers('meeting') } },
    planDelivery: {
      on: {
        'planLetter.sent': [go('continuation', ['continuationAgreed'], letter), go('closed', [], letter)],
        ...promises,
        ...close,
        ...timers('planDelivery'),
      },
    },
    /** jatko: an optional continuation meeting */
    continuation: { on: { ...held, ...reschedule, ...promises, ...close, ...timers('continuation') } },
    closed: { on: { 'case.reopened': go('preparation', [], ['reopenCase']) } },
  };
}

/** network-meeting: promise-based neuvonpito of toiminnallinen verkostotyö (domain.md §2.4). */
function networkMeetingStates() {
  const meetingRules: RuleName[] = [...reviewRules, 'everyPresentParticipantPromised'];
  const memo = effect('renderMemo');
  const held = {
    'meeting.held': [
      go(
        '#case.closed',
        ['closesCase', ...meetingRules, 'closeReasonAllowed'],
        ['holdMeeting', 'closeByMeeting', memo],
      ),
      go(
        '#case.actionPeriod',
        ['continuesCase', ...meetingRules, 'nextMeetingInFuture'],
        ['holdMeeting', memo],
      ),
    ],
  };
  const actionTimers = timers('actionPeriod');
  return {
    preparation: {
      on: {
        'participants.mapped': go(undefined, [], ['mapParticipants']),
        'meeting.scheduled': go('meeting', ['participantsMapped', 'meetingInFuture'], ['scheduleMeeting']),
        ...close,
        ...timers('preparation'),
      },
    },
    /** neuvonpito */
    meeting: { on: { ...held, ...reschedule, ...promises, ...close, ...timers('meeting') } },
    /** toimintajakso: ends when the next meeting's date comes */
    actionPeriod: {
      on: {
        ...held,
        ...reschedule,
        ...promises,
        ...close,
        ...actionTimers,
        'deadline.reached': [
          go(
            'meeting',
            ['isMeetingDate', { type: 'timerStepDue', params: { phase: 'actionPeriod' } }],
            [{ type: 'recordTimerStep', params: { phase: 'actionPeriod' } }],
          ),
          actionTimers['deadline.reached'],
        ],
      },
    },
    closed: { on: { 'case.reopened': go('preparation', [], ['reopenCase']) } },
  };
}

const statesOf = {
  fgc: conferenceStates,
  acute: conferenceStates,
  'network-mapping': networkMappingStates,
  'network-meeting': networkMeetingStates,
} as const;

const NO_INPUT: CaseInput = {
  caseId: '',
  variant: { key: '', version: 0 },
  caseworker: { sub: '', unit: '' },
  openedAt: '',
};

/**
 * The statechart of one variant version. Guards are the named rules of rules.ts, actions the named
 * reducers of reducers.ts plus effects; the config is closed over, so the machine is pure data + functions.
 */
export function buildCaseMachine(config: VariantConfig): AnyStateMachine {
  const guards = Object.fromEntries(
    Object.entries(rules).map(([name, rule]) => [
      name,
      ({ context, event }: { context: CaseContext; event: CaseEvent }, params?: { phase?: string }) =>
        rule.check(context, event, config, params ?? {}),
    ]),
  );
  const actions = {
    ...Object.fromEntries(
      Object.entries(reducers).map(([name, reduce]) => [
        name,
        assign(
          ({ context, event }: { context: CaseContext; event: CaseEvent }, params?: { phase?: string }) =>
            reduce(context, event, config, params ?? {}),
        ),
      ]),
    ),
    // Effects do nothing inside the process: `apply` hands them to the workflow.
    ...Object.fromEntries(Object.keys(effects).map((name) => [name, () => undefined])),
  };
  return setup({
    types: { context: {} as CaseContext, events: {} as CaseEvent, input: {} as CaseInput },
    guards: guards as never,
    actions: actions as never,
  }).createMachine({
    id: 'case',
    // XState's pure transition() builds a throw-away actor that computes an initial snapshot without input;
    // answering that with an empty case instead of throwing keeps every transition cheap.
    context: ({ input }: { input: CaseInput | undefined }) => initialContext(input ?? NO_INPUT),
    initial: 'preparation',
    states: statesOf[config.template]() as never,
  }) as unknown as AnyStateMachine;
}
