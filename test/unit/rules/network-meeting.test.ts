/**
 * network-meeting: promise-based neuvonpito of toiminnallinen verkostotyö (domain.md §2.4): meetings and
 * action periods (toimintajaksot); every present participant promises something; never an open next date.
 */
import { allowedEvents, apply, type CaseSnapshot, promisesOf } from '../../../libs/process/src';
import {
  accepted,
  applyAll,
  at,
  CW,
  derived,
  ev,
  foldAll,
  network,
  networkMeeting,
  networkMeetingFirstMeeting,
  networkMeetingUpToMeeting,
  opened,
  promisesBy,
  refusedBy,
  reviewOf,
  seriesOf,
  timerEvent,
} from '../../support/scenarios';

const config = () => networkMeeting();
/** Phase `meeting`, first meeting on day 7. */
const meeting = (): CaseSnapshot => foldAll(config(), networkMeetingUpToMeeting());
/** Phase `actionPeriod` after the first meeting: p1 (client), p2 (mother), p3 (teacher) due day 21; next meeting day 35. */
const actionPeriod = (): CaseSnapshot =>
  foldAll(config(), [...networkMeetingUpToMeeting(), networkMeetingFirstMeeting()]);

type Held = {
  attendees: string[];
  reviews: ReturnType<typeof reviewOf>[];
  newPromises: ReturnType<typeof promisesBy>;
  nextMeetingAt?: string;
  close?: { reason: 'needsMet' | 'noAgreement' | 'moved' | 'declined' | 'other' };
};
const held = (payload: Held, when: string) => ev('meeting.held', payload as never, when);
const first = (change: Partial<Held>) =>
  held({ ...(networkMeetingFirstMeeting().payload as Held), ...change }, at(7));
const allKept = [reviewOf('p1', 'kept'), reviewOf('p2', 'kept'), reviewOf('p3', 'kept')];

/** The second meeting, on its date (day 35): phase `meeting` again. */
function secondMeeting(): CaseSnapshot {
  const snapshot = actionPeriod();
  const [date] = seriesOf(config(), snapshot, 'meetingDate');
  return accepted(config(), snapshot, timerEvent(date!)).snapshot;
}

describe('network-meeting: preparation by the omatyöntekijä', () => {
  it('a new case maps the network first', () => {
    expect(allowedEvents(config(), opened(config()))).toEqual(['participants.mapped', 'case.closed']);
  });

  it('the meeting is scheduled only after mapping (participantsMapped)', () => {
    const rejection = refusedBy(
      apply(config(), opened(config()), networkMeetingUpToMeeting()[1]!),
      'participantsMapped',
    );
    expect(rejection.allowedEvents).toEqual(['participants.mapped', 'case.closed']);
  });

  it('the meeting is scheduled in the future (meetingInFuture)', () => {
    const mapped = foldAll(config(), [networkMeetingUpToMeeting()[0]!]);
    refusedBy(
      apply(config(), mapped, ev('meeting.scheduled', { at: at(0.1), place: 'Home' }, at(0.2))),
      'meetingInFuture',
    );
  });

  it('there are no coordinators: the omatyöntekijä convenes the network', () => {
    const r = apply(
      config(),
      opened(config()),
      ev('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }, at(0.1)),
    );
    refusedBy(r, 'eventAllowedInPhase');
  });

  it('scheduling moves the case to the meeting phase', () => {
    const snapshot = meeting();
    expect(snapshot.value).toBe('meeting');
    expect(snapshot.context.nextMeetingAt).toBe(at(7));
    expect(allowedEvents(config(), snapshot)).toEqual([
      'meeting.scheduled',
      'meeting.held',
      'promise.made',
      'case.closed',
    ]);
  });

  it('the meeting can be moved to another future time', () => {
    const { snapshot } = accepted(
      config(),
      meeting(),
      ev('meeting.scheduled', { at: at(9), place: 'School' }, at(1)),
    );
    expect(snapshot.context).toMatchObject({ nextMeetingAt: at(9), meetingPlace: 'School' });
    refusedBy(
      apply(config(), meeting(), ev('meeting.scheduled', { at: at(0.5), place: 'School' }, at(1))),
      'meetingInFuture',
    );
  });
});

describe('network-meeting: every present participant promises (rule 12)', () => {
  it('rule 12: a present participant without a promise blocks the meeting record (everyPresentParticipantPromised)', () => {
    const r = apply(config(), meeting(), first({ newPromises: promisesBy(['client', 'mother']) }));
    const rejection = refusedBy(r, 'everyPresentParticipantPromised');
    expect(rejection.allowedEvents).toContain('meeting.held');
  });

  it('rule 12: a promise owned by someone else does not count for the participant', () => {
    const r = apply(config(), meeting(), first({ newPromises: promisesBy(['client', 'mother', 'mother']) }));
    refusedBy(r, 'everyPresentParticipantPromised');
  });

  it('rule 12: absent participants and the case’s own worker need no promise', () => {
    const { snapshot } = accepted(
      config(),
      meeting(),
      first({ attendees: ['client', CW.sub], newPromises: promisesBy(['client']) }),
    );
    expect(snapshot.value).toBe('actionPeriod');
    expect(promisesOf(snapshot.context).map((p) => p.owner)).toEqual(['client']);
  });

  it('rule 12: the rule is a setting of the variant (promisePerPresentParticipant: false)', () => {
    const lenient = derived(config(), (c) => {
      c.rules.promisePerPresentParticipant = false;
    });
    const snapshot = foldAll(lenient, networkMeetingUpToMeeting());
    expect(accepted(lenient, snapshot, first({ newPromises: [] })).snapshot.value).toBe('actionPeriod');
  });

  it('rule 14: a meeting without a next date or an end decision does not match its schema', () => {
    const rejection = refusedBy(
      apply(config(), meeting(), first({ nextMeetingAt: undefined })),
      'payloadMatchesSchema',
    );
    expect(rejection.problems?.map((p) => p.path)).toEqual(['payload.nextMeetingAt']);
  });

  it('rule 14: the next meeting lies in the future (nextMeetingInFuture)', () => {
    refusedBy(apply(config(), meeting(), first({ nextMeetingAt: at(7) })), 'nextMeetingInFuture');
  });

  it('rule 13: the memo goes to every participant; the case enters the action period (holdMeeting, renderMemo)', () => {
    const r = accepted(config(), meeting(), networkMeetingFirstMeeting());
    expect(r.snapshot.value).toBe('actionPeriod');
    expect(r.snapshot.context).toMatchObject({ meetingsHeld: 1, nextMeetingAt: at(35) });
    expect(promisesOf(r.snapshot.context).map((p) => [p.id, p.owner, p.status])).toEqual([
      ['p1', 'client', 'open'],
      ['p2', 'mother', 'open'],
      ['p3', 'teacher', 'open'],
    ]);
    expect(r.effects).toEqual([
      { type: 'renderMemo', params: { document: 'memo', meeting: 1, recipients: network.map((p) => p.id) } },
    ]);
  });
});

describe('network-meeting: action period (toimintajakso) and follow-up meetings', () => {
  it('in the action period promises are marked and the next meeting may be moved or held early', () => {
    expect(allowedEvents(config(), actionPeriod())).toEqual([
      'meeting.scheduled',
      'meeting.held',
      'promise.made',
      'promise.kept',
      'promise.notKept',
      'case.closed',
    ]);
  });

  it('the meeting date reached starts the next meeting (isMeetingDate, recordTimerStep)', () => {
    const snapshot = actionPeriod();
    const [date] = seriesOf(config(), snapshot, 'meetingDate');
    expect(date).toMatchObject({
      dueAt: at(35),
      event: { type: 'deadline.reached', payload: { kind: 'meetingDate', ref: at(35) } },
    });
    const { snapshot: next } = accepted(config(), snapshot, timerEvent(date!));
    expect(next.value).toBe('meeting');
    expect(next.context.timers[`meetingDate:${at(35)}`]).toBe(1);
  });

  it('the reminder before the meeting does not end the action period', () => {
    const snapshot = actionPeriod();
    const [reminder] = seriesOf(config(), snapshot, 'meetingReminder');
    expect(reminder?.dueAt).toBe(at(32));
    const r = accepted(config(), snapshot, timerEvent(reminder!));
    expect(r.snapshot.value).toBe('actionPeriod');
    expect(r.effects).toEqual([
      { type: 'notifyRecipients', params: { event: 'reminder.sent', ...reminder!.event.payload } },
    ]);
  });

  it('the meeting date is not reached early (timerStepDue)', () => {
    const snapshot = actionPeriod();
    const [date] = seriesOf(config(), snapshot, 'meetingDate');
    refusedBy(apply(config(), snapshot, timerEvent(date!, at(34))), 'timerStepDue');
  });

  it('rule 12: a follow-up meeting reviews the previous promises (everyOpenPromiseReviewed)', () => {
    const next = held(
      {
        attendees: ['client'],
        reviews: [reviewOf('p1', 'kept')],
        newPromises: promisesBy(['client'], 60),
        nextMeetingAt: at(70),
      },
      at(35),
    );
    refusedBy(apply(config(), secondMeeting(), next), 'everyOpenPromiseReviewed');
  });

  it('rule 12: new solutions are sought for unfulfilled promises (notKeptHasNewSolution)', () => {
    const reviews = [reviewOf('p1', 'kept'), reviewOf('p2', 'notKept'), reviewOf('p3', 'kept')];
    const next = held(
      { attendees: ['client'], reviews, newPromises: promisesBy(['client'], 60), nextMeetingAt: at(70) },
      at(35),
    );
    refusedBy(apply(config(), secondMeeting(), next), 'notKeptHasNewSolution');
  });

  it('a follow-up meeting reviews, promises anew and returns to an action period', () => {
    const next = held(
      {
        attendees: ['client', 'mother'],
        reviews: allKept,
        newPromises: promisesBy(['client', 'mother'], 60),
        nextMeetingAt: at(70),
      },
      at(35),
    );
    const { snapshot } = accepted(config(), secondMeeting(), next);
    expect(snapshot.value).toBe('actionPeriod');
    expect(snapshot.context.meetingsHeld).toBe(2);
    expect(promisesOf(snapshot.context).map((p) => `${p.id}:${p.status}`)).toEqual([
      'p1:kept',
      'p2:kept',
      'p3:kept',
      'p4:open',
      'p5:open',
    ]);
  });

  it('a meeting may also be held before its date, during the action period', () => {
    const early = held(
      {
        attendees: ['client'],
        reviews: allKept,
        newPromises: promisesBy(['client'], 60),
        nextMeetingAt: at(70),
      },
      at(30),
    );
    expect(accepted(config(), actionPeriod(), early).snapshot.value).toBe('actionPeriod');
  });
});

describe('network-meeting: closure reasons needsMet, moved, declined', () => {
  it.each(['needsMet', 'moved', 'declined'] as const)(
    'a meeting may end the work as %s (closeByMeeting, renderMemo)',
    (reason) => {
      const end = held(
        {
          attendees: ['client'],
          reviews: allKept,
          newPromises: promisesBy(['client'], 60),
          close: { reason },
        },
        at(35),
      );
      const r = accepted(config(), secondMeeting(), end);
      expect(r.snapshot.value).toBe('closed');
      expect(r.snapshot.context.closedReason).toBe(reason);
      expect(r.effects.map((e) => e.type)).toEqual(['renderMemo']);
      expect(allowedEvents(config(), r.snapshot)).toEqual(['case.reopened']);
    },
  );

  it.each(['other', 'noAgreement'] as const)(
    'a meeting cannot end the work as %s (closeReasonAllowed)',
    (reason) => {
      const end = held(
        {
          attendees: ['client'],
          reviews: allKept,
          newPromises: promisesBy(['client'], 60),
          close: { reason },
        },
        at(35),
      );
      refusedBy(apply(config(), secondMeeting(), end), 'closeReasonAllowed');
    },
  );

  it('the caseworker closes only for the listed reasons (closeReasonAllowed)', () => {
    refusedBy(
      apply(config(), actionPeriod(), ev('case.closed', { reason: 'other' }, at(10))),
      'closeReasonAllowed',
    );
    const { snapshot } = accepted(
      config(),
      actionPeriod(),
      ev('case.closed', { reason: 'declined' }, at(10)),
    );
    expect(snapshot.context.closedReason).toBe('declined');
  });

  it('a closed case reopens into preparation keeping its network', () => {
    const closed = applyAll(config(), actionPeriod(), [ev('case.closed', { reason: 'moved' }, at(10))]);
    const { snapshot } = accepted(config(), closed, ev('case.reopened', { reason: 'moved back' }, at(50)));
    expect(snapshot.value).toBe('preparation');
    expect(snapshot.context.participants).toEqual(network);
    expect(allowedEvents(config(), snapshot)).toEqual([
      'participants.mapped',
      'meeting.scheduled',
      'case.closed',
    ]);
  });
});
