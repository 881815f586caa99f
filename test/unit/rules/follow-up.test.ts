/**
 * fgc and acute, phase `followUp` (seuranta): each follow-up meeting reviews every open promise and ends
 * with a next date or a closure; closing and reopening a case.
 */
import {
  allowedEvents,
  apply,
  fold,
  openingEvent,
  type CaseSnapshot,
  promisesOf,
} from '../../../libs/process/src';
import {
  accepted,
  actors,
  acute,
  applyAll,
  at,
  conferenceUpToFollowUp,
  CW,
  ev,
  fgc,
  foldAll,
  opened,
  refusedBy,
  reviewOf,
  seriesOf,
  T0,
  withPayload,
} from '../../support/scenarios';

/** Follow-up with p1 (grandma, due day 30) and p2 (mother, due day 20) open; first meeting on day 58.2. */
const followUp = (): CaseSnapshot => foldAll(fgc(), conferenceUpToFollowUp(fgc()));
const MEETING = at(58.2);

type Held = {
  attendees: string[];
  reviews: ReturnType<typeof reviewOf>[];
  newPromises: { what: string; owner: string; verifier: string; dueAt: string }[];
  nextMeetingAt?: string;
  close?: { reason: 'needsMet' | 'noAgreement' | 'moved' | 'declined' | 'other'; note?: string };
};
const allReviewed = [
  reviewOf('p1', 'kept'),
  reviewOf('p2', 'notKept', { newSolution: 'grandma joins the teacher meeting' }),
];
const held = (change: Partial<Held> = {}, when = MEETING) => {
  const payload: Held = {
    attendees: ['grandma', 'mother', 'co1'],
    reviews: allReviewed,
    newPromises: [],
    nextMeetingAt: at(120),
    ...change,
  };
  return ev('meeting.held', payload as never, when, actors.co);
};
const closing = (change: Partial<Held> = {}) =>
  held({ nextMeetingAt: undefined, close: { reason: 'needsMet' }, ...change });

describe('follow-up (seuranta)', () => {
  it('in follow-up the case allows meetings, promises and closing', () => {
    expect(allowedEvents(fgc(), followUp())).toEqual([
      'meeting.held',
      'promise.made',
      'promise.kept',
      'promise.notKept',
      'case.closed',
    ]);
  });

  it('rule 12: a follow-up meeting reviews every open promise (everyOpenPromiseReviewed)', () => {
    const rejection = refusedBy(
      apply(fgc(), followUp(), held({ reviews: [reviewOf('p1', 'kept')] })),
      'everyOpenPromiseReviewed',
    );
    expect(rejection.allowedEvents).toContain('meeting.held');
    expect(rejection.state).toEqual({ followUp: 'awaitingMeeting' });
  });

  it('rule 12: a meeting that closes the case also reviews every open promise', () => {
    refusedBy(apply(fgc(), followUp(), closing({ reviews: [] })), 'everyOpenPromiseReviewed');
  });

  it.each([
    ['an unknown promise', [...allReviewed, reviewOf('p9', 'kept')]],
    ['the same promise twice', [...allReviewed, reviewOf('p1', 'dropped', { note: 'no longer needed' })]],
  ])('a review of %s is refused (reviewsNameOpenPromises)', (_what, reviews) => {
    refusedBy(apply(fgc(), followUp(), held({ reviews })), 'reviewsNameOpenPromises');
  });

  it('a promise already kept is not reviewed again (reviewsNameOpenPromises)', () => {
    const snapshot = applyAll(fgc(), followUp(), [ev('promise.kept', { promiseId: 'p1' }, at(25))]);
    refusedBy(apply(fgc(), snapshot, held()), 'reviewsNameOpenPromises');
    expect(
      accepted(fgc(), snapshot, held({ reviews: [allReviewed[1]!] })).snapshot.context.meetingsHeld,
    ).toBe(1);
  });

  it('rule 12: a promise not kept needs a new solution (notKeptHasNewSolution)', () => {
    const withoutSolution = [reviewOf('p1', 'kept'), reviewOf('p2', 'notKept', { note: 'mother was ill' })];
    refusedBy(apply(fgc(), followUp(), held({ reviews: withoutSolution })), 'notKeptHasNewSolution');
  });

  it('a dropped promise needs a reason (droppedHasReason)', () => {
    const dropped = [reviewOf('p1', 'kept'), reviewOf('p2', 'dropped')];
    refusedBy(apply(fgc(), followUp(), held({ reviews: dropped })), 'droppedHasReason');
  });

  it('rule 14: a meeting ending with neither a next date nor a closure does not match its schema', () => {
    const rejection = refusedBy(
      apply(fgc(), followUp(), held({ nextMeetingAt: undefined })),
      'payloadMatchesSchema',
    );
    expect(rejection.problems).toEqual([
      { path: 'payload.nextMeetingAt', message: 'give exactly one of nextMeetingAt or close' },
    ]);
    expect(rejection.allowedEvents).toContain('meeting.held');
  });

  it('rule 14: a meeting gives a next date or a closure, not both', () => {
    const rejection = refusedBy(
      apply(fgc(), followUp(), held({ close: { reason: 'needsMet' } })),
      'payloadMatchesSchema',
    );
    expect(rejection.problems?.map((p) => p.path)).toEqual(['payload.nextMeetingAt']);
  });

  it('rule 14: the next meeting lies in the future (nextMeetingInFuture)', () => {
    refusedBy(apply(fgc(), followUp(), held({ nextMeetingAt: MEETING })), 'nextMeetingInFuture');
  });

  it('attendees are mapped participants or the case’s workers (attendeesKnown)', () => {
    refusedBy(apply(fgc(), followUp(), held({ attendees: ['mother', 'uncle'] })), 'attendeesKnown');
  });

  it('a new promise’s owner and verifier take part in the case (promisePartiesKnown)', () => {
    const newPromises = [{ what: 'uncle visits weekly', owner: 'uncle', verifier: 'co1', dueAt: at(90) }];
    refusedBy(apply(fgc(), followUp(), held({ newPromises })), 'promisePartiesKnown');
  });

  it('a new promise is due in the future (promiseDueInFuture)', () => {
    const newPromises = [
      { what: 'mother calls the school', owner: 'mother', verifier: 'co1', dueAt: at(50) },
    ];
    refusedBy(apply(fgc(), followUp(), held({ newPromises })), 'promiseDueInFuture');
  });

  it('holdMeeting records the reviews, numbers new promises after the old ones and sets the next date', () => {
    const newPromises = [
      { what: 'mother calls the school', owner: 'mother', verifier: 'teacher', dueAt: at(90) },
    ];
    const { snapshot } = accepted(fgc(), followUp(), held({ newPromises }));
    expect(snapshot.value).toEqual({ followUp: 'awaitingMeeting' });
    expect(promisesOf(snapshot.context).map((p) => [p.id, p.status, p.note])).toEqual([
      ['p1', 'kept', undefined],
      ['p2', 'notKept', 'grandma joins the teacher meeting'],
      ['p3', 'open', undefined],
    ]);
    expect(snapshot.context.meetingsHeld).toBe(1);
    expect(snapshot.context.nextMeetingAt).toBe(at(120));
  });

  it('a dropped promise keeps its reason as its note', () => {
    const reviews = [reviewOf('p1', 'kept'), reviewOf('p2', 'dropped', { note: 'the child changed school' })];
    const { snapshot } = accepted(fgc(), followUp(), held({ reviews }));
    expect(promisesOf(snapshot.context)[1]).toMatchObject({
      status: 'dropped',
      note: 'the child changed school',
    });
  });

  it('a held meeting cancels its own grace ladder; the next meeting gets reminders', () => {
    const before = followUp();
    expect(seriesOf(fgc(), before, 'meeting', MEETING).length).toBeGreaterThan(0);
    const { snapshot } = accepted(fgc(), before, held());
    expect(seriesOf(fgc(), snapshot, 'meeting', MEETING)).toEqual([]);
    expect(seriesOf(fgc(), snapshot, 'meetingReminder', at(120))).toEqual([
      expect.objectContaining({ dueAt: at(113) }),
    ]);
  });

  it('usually 1–2 follow-ups, but more are allowed', () => {
    const meetings = [at(100), at(150), at(200)];
    let snapshot = accepted(fgc(), followUp(), held({ nextMeetingAt: meetings[0] })).snapshot;
    for (const [i, when] of meetings.entries()) {
      snapshot = accepted(
        fgc(),
        snapshot,
        held({ reviews: [], attendees: ['mother'], nextMeetingAt: meetings[i + 1] ?? at(260) }, when),
      ).snapshot;
    }
    expect(snapshot.context.meetingsHeld).toBe(4);
    expect(snapshot.value).toEqual({ followUp: 'awaitingMeeting' });
  });

  it('a meeting may close the case (closeByMeeting), which ends its timers', () => {
    const { snapshot } = accepted(
      fgc(),
      followUp(),
      closing({ close: { reason: 'needsMet', note: 'school attendance is fine' } }),
    );
    expect(snapshot.value).toBe('closed');
    expect(snapshot.context.closedReason).toBe('needsMet');
    expect(snapshot.context.nextMeetingAt).toBeNull();
    expect(snapshot.context.meetingsHeld).toBe(1);
    expect(allowedEvents(fgc(), snapshot)).toEqual(['case.reopened']);
  });

  it('acute follows up the same way', () => {
    const snapshot = foldAll(acute(), conferenceUpToFollowUp(acute()));
    refusedBy(apply(acute(), snapshot, held({ reviews: [] }, at(16.2))), 'everyOpenPromiseReviewed');
    expect(accepted(acute(), snapshot, closing()).snapshot.context.closedReason).toBe('needsMet');
  });

  it('a history with a meeting that gives neither a next date nor a closure is refused even unvalidated', () => {
    const config = fgc();
    const opening = openingEvent(config, { caseId: 'c_test', caseworker: CW, openedAt: T0 });
    const broken = withPayload(held(), { ...held().payload, nextMeetingAt: undefined });
    const history = [opening, ...conferenceUpToFollowUp(config), broken];
    const result = fold(config, 'c_test', history);
    expect('brokenAt' in result && result.brokenAt).toBe(history.length - 1);
    if ('rejected' in result) expect(['closesCase', 'continuesCase']).toContain(result.rejected.rule);
  });
});

describe('closing and reopening a conference case', () => {
  it('the caseworker may close the case in follow-up (closeCase)', () => {
    const { snapshot } = accepted(
      fgc(),
      followUp(),
      ev('case.closed', { reason: 'moved', note: 'family moved to Oulu' }, at(30)),
    );
    expect(snapshot.value).toBe('closed');
    expect(snapshot.context.closedReason).toBe('moved');
    expect(snapshot.context.nextMeetingAt).toBeNull();
  });

  it('a closed case takes only case.reopened', () => {
    const closed = applyAll(fgc(), followUp(), [ev('case.closed', { reason: 'other' }, at(30))]);
    const rejection = refusedBy(
      apply(fgc(), closed, ev('promise.kept', { promiseId: 'p1' }, at(31))),
      'eventAllowedInPhase',
    );
    expect(rejection.allowedEvents).toEqual(['case.reopened']);
    expect(rejection.state).toBe('closed');
  });

  it('a case closed before its agreement reopens awaiting the agreement', () => {
    const closed = applyAll(fgc(), opened(fgc()), [ev('case.closed', { reason: 'declined' }, at(1))]);
    const { snapshot } = accepted(
      fgc(),
      closed,
      ev('case.reopened', { reason: 'the family changed its mind' }, at(5)),
    );
    expect(snapshot.value).toEqual({ preparation: 'awaitingAgreement' });
    expect(allowedEvents(fgc(), snapshot)).toEqual(['agreement.recorded', 'case.closed']);
  });

  it('a case reopened after follow-up goes back to preparation with the plan cleared and no meeting date', () => {
    const closed = applyAll(fgc(), followUp(), [closing()]);
    const { snapshot } = accepted(fgc(), closed, ev('case.reopened', { reason: 'new concerns' }, at(70)));
    expect(snapshot.value).toEqual({ preparation: 'preparing' });
    expect(snapshot.context).toMatchObject({
      closedReason: null,
      nextMeetingAt: null,
      plan: { items: [], rejections: 0 },
    });
  });
});
