/**
 * network-mapping: Läheisverkoston kartoitus -malli (domain.md §2.3): an outside leader, one meeting,
 * a plan mailed to the client within 3 days, an optional continuation; no private deliberation, no approval.
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
  applyAll,
  at,
  CW,
  ev,
  family,
  foldAll,
  networkMapping,
  networkMappingUpToMeeting,
  opened,
  refusedBy,
  reviewOf,
  seriesOf,
  T0,
  timerEvent,
} from '../../support/scenarios';

const config = () => networkMapping();
const [assignLeader, mapParticipants, scheduleMeeting] = networkMappingUpToMeeting();
/** Phase `meeting`: leader lead1 assigned, family mapped, meeting on day 5. */
const meeting = (): CaseSnapshot => foldAll(config(), networkMappingUpToMeeting());

const planItems = [
  { what: 'grandma picks the child up on Tuesdays', owner: 'grandma', verifier: 'mother', dueAt: at(20) },
  { what: 'the social worker arranges a family worker', owner: CW.sub, verifier: 'mother', dueAt: at(15) },
];
type Held = {
  attendees: string[];
  reviews: ReturnType<typeof reviewOf>[];
  newPromises: typeof planItems;
  nextMeetingAt?: string;
  close?: { reason: 'needsMet' | 'other' };
};
const held = (change: Partial<Held> = {}, when = at(5)) => {
  const payload: Held = {
    attendees: ['child', 'mother', 'grandma', CW.sub, 'lead1'],
    reviews: [],
    newPromises: planItems,
    close: { reason: 'needsMet' },
    ...change,
  };
  return ev('meeting.held', payload as never, when, actors.co);
};
const letter = (when = at(6)) => ev('planLetter.sent', {}, when, actors.co);

describe('network-mapping: preparation with an outside leader (vetäjä)', () => {
  it('a new case assigns the leader and maps the participants', () => {
    expect(allowedEvents(config(), opened(config()))).toEqual([
      'coordinator.assigned',
      'participants.mapped',
      'case.closed',
    ]);
  });

  it("rule 1: the client's own social worker cannot lead the meeting (coordinatorIndependentOfCaseworker)", () => {
    const r = apply(
      config(),
      opened(config()),
      ev('coordinator.assigned', { coordinatorId: CW.sub, unit: CW.unit }, at(0.1)),
    );
    refusedBy(r, 'coordinatorIndependentOfCaseworker');
  });

  it('rule 1: a leader from the same social station is fine, as long as it is not the case’s own worker', () => {
    const { snapshot } = accepted(
      config(),
      opened(config()),
      ev('coordinator.assigned', { coordinatorId: 'lead1', unit: CW.unit }, at(0.1)),
    );
    expect(snapshot.context.coordinators).toEqual([{ sub: 'lead1', unit: CW.unit }]);
  });

  it('one leader is needed and a second is refused (coordinatorPlaceOpen)', () => {
    const snapshot = foldAll(config(), [assignLeader!]);
    expect(allowedEvents(config(), snapshot)).not.toContain('coordinator.assigned');
    refusedBy(
      apply(
        config(),
        snapshot,
        ev('coordinator.assigned', { coordinatorId: 'lead2', unit: 'east' }, at(0.15)),
      ),
      'coordinatorPlaceOpen',
    );
  });

  it('the meeting is scheduled only once a leader is assigned (coordinatorsAssigned)', () => {
    const snapshot = foldAll(config(), [mapParticipants!]);
    refusedBy(apply(config(), snapshot, scheduleMeeting!), 'coordinatorsAssigned');
  });

  it('the meeting is scheduled only once the participants are mapped (participantsMapped)', () => {
    const snapshot = foldAll(config(), [assignLeader!]);
    refusedBy(apply(config(), snapshot, scheduleMeeting!), 'participantsMapped');
  });

  it('the meeting is scheduled in the future (meetingInFuture)', () => {
    const snapshot = foldAll(config(), [assignLeader!, mapParticipants!]);
    refusedBy(
      apply(config(), snapshot, ev('meeting.scheduled', { at: at(0.2), place: 'Home' }, at(0.3))),
      'meetingInFuture',
    );
  });

  it('scheduling moves the case to its meeting', () => {
    const snapshot = meeting();
    expect(snapshot.value).toBe('meeting');
    expect(allowedEvents(config(), snapshot)).toEqual(['meeting.scheduled', 'meeting.held', 'case.closed']);
  });
});

describe('network-mapping: the meeting writes a plan that is mailed to the client (rule 18)', () => {
  it('rule 18: the meeting writes a plan of at least one agreed thing (planHasItems)', () => {
    const rejection = refusedBy(apply(config(), meeting(), held({ newPromises: [] })), 'planHasItems');
    expect(rejection.allowedEvents).toEqual(['meeting.scheduled', 'meeting.held', 'case.closed']);
  });

  it('rule 14: the meeting ends with a continuation date or a closure, never neither', () => {
    const rejection = refusedBy(
      apply(config(), meeting(), held({ close: undefined })),
      'payloadMatchesSchema',
    );
    expect(rejection.problems?.map((p) => p.path)).toEqual(['payload.nextMeetingAt']);
  });

  it('rule 14: an unvalidated history with neither is refused by nextDateOrClosure', () => {
    const opening = openingEvent(config(), { caseId: 'c_test', caseworker: CW, openedAt: T0 });
    const result = fold(config(), 'c_test', [
      opening,
      ...networkMappingUpToMeeting(),
      held({ close: undefined }),
    ]);
    expect(result).toMatchObject({ brokenAt: 4, rejected: { rule: 'nextDateOrClosure' } });
  });

  it('a continuation date lies in the future (nextMeetingInFuture)', () => {
    refusedBy(
      apply(config(), meeting(), held({ close: undefined, nextMeetingAt: at(5) })),
      'nextMeetingInFuture',
    );
  });

  it('plan owners and verifiers take part in the case (promisePartiesKnown)', () => {
    refusedBy(
      apply(config(), meeting(), held({ newPromises: [{ ...planItems[0]!, owner: 'neighbour' }] })),
      'promisePartiesKnown',
    );
  });

  it('attendees are mapped participants or the case’s workers (attendeesKnown)', () => {
    refusedBy(apply(config(), meeting(), held({ attendees: ['child', 'neighbour'] })), 'attendeesKnown');
  });

  it('recordMappingPlan keeps the plan, sets the letter due in 3 days and holds the closure until the letter is sent', () => {
    const { snapshot } = accepted(config(), meeting(), held());
    expect(snapshot.value).toBe('planDelivery');
    expect(snapshot.context).toMatchObject({
      plan: { items: planItems, rejections: 0 },
      planLetterDueAt: at(8),
      pendingClose: { reason: 'needsMet' },
      closedReason: null,
      meetingsHeld: 1,
    });
    expect(promisesOf(snapshot.context).map((p) => [p.id, p.status])).toEqual([
      ['p1', 'open'],
      ['p2', 'open'],
    ]);
    expect(allowedEvents(config(), snapshot)).toEqual([
      'planLetter.sent',
      'promise.made',
      'promise.kept',
      'promise.notKept',
      'case.closed',
    ]);
  });

  it('the plan letter is due 3 days after the meeting', () => {
    const snapshot = accepted(config(), meeting(), held()).snapshot;
    expect(seriesOf(config(), snapshot, 'planLetter')[0]).toMatchObject({
      dueAt: at(8),
      event: { type: 'deadline.reached', payload: { kind: 'planLetter', ref: 'planLetter' } },
    });
  });

  it('rule 18: sending the letter closes the case as the meeting decided (sendPlanLetter, renderPlanLetter)', () => {
    const snapshot = accepted(config(), meeting(), held()).snapshot;
    const r = accepted(config(), snapshot, letter());
    expect(r.snapshot.value).toBe('closed');
    expect(r.snapshot.context).toMatchObject({
      closedReason: 'needsMet',
      planLetterDueAt: null,
      nextMeetingAt: null,
    });
    expect(r.effects).toEqual([
      {
        type: 'renderPlanLetter',
        params: { document: 'planLetter', items: planItems, recipients: family.map((p) => p.id) },
      },
    ]);
  });

  it('a late letter is still sent, and its deadline ladder stops', () => {
    let snapshot = accepted(config(), meeting(), held({ close: undefined, nextMeetingAt: at(40) })).snapshot;
    const [due] = seriesOf(config(), snapshot, 'planLetter');
    snapshot = accepted(config(), snapshot, timerEvent(due!)).snapshot;
    expect(seriesOf(config(), snapshot, 'planLetter')[0]?.level).toBe('lapsed');
    snapshot = accepted(config(), snapshot, letter(at(9))).snapshot;
    expect(seriesOf(config(), snapshot, 'planLetter')).toEqual([]);
  });
});

describe('network-mapping: optional continuation (jatko)', () => {
  const continuing = () =>
    applyAll(config(), meeting(), [held({ close: undefined, nextMeetingAt: at(40) }), letter()]);

  it('with a continuation agreed the letter leads to the continuation meeting (continuationAgreed)', () => {
    const snapshot = continuing();
    expect(snapshot.value).toBe('continuation');
    expect(snapshot.context.nextMeetingAt).toBe(at(40));
    expect(snapshot.context.closedReason).toBeNull();
    expect(allowedEvents(config(), snapshot)).toEqual([
      'meeting.scheduled',
      'meeting.held',
      'promise.made',
      'promise.kept',
      'promise.notKept',
      'case.closed',
    ]);
  });

  it('the continuation meeting reviews the open promises of the plan (everyOpenPromiseReviewed)', () => {
    refusedBy(apply(config(), continuing(), held({}, at(40))), 'everyOpenPromiseReviewed');
  });

  it('the continuation meeting writes a new plan letter, then the case closes', () => {
    const reviews = [reviewOf('p1', 'kept'), reviewOf('p2', 'kept')];
    const newPlan = [{ ...planItems[0]!, what: 'grandma also helps with homework', dueAt: at(60) }];
    const snapshot = applyAll(config(), continuing(), [held({ reviews, newPromises: newPlan }, at(40))]);
    expect(snapshot.value).toBe('planDelivery');
    expect(snapshot.context.planLetterDueAt).toBe(at(43));
    expect(snapshot.context.plan.items).toEqual(newPlan);
    const r = accepted(config(), snapshot, letter(at(41)));
    expect(r.effects[0]?.params).toMatchObject({ items: newPlan });
    const closed = r.snapshot;
    expect(closed.value).toBe('closed');
    expect(closed.context.meetingsHeld).toBe(2);
  });

  it('the letter of the continuation meeting is a new deadline whose ladder starts again (recordMappingPlan)', () => {
    let snapshot = accepted(config(), meeting(), held({ close: undefined, nextMeetingAt: at(40) })).snapshot;
    const [firstDue] = seriesOf(config(), snapshot, 'planLetter');
    snapshot = applyAll(config(), snapshot, [timerEvent(firstDue!), letter(at(9))]);
    expect(snapshot.context.timers['planLetter:planLetter']).toBe(1);
    const reviews = [reviewOf('p1', 'kept'), reviewOf('p2', 'kept')];
    const newPlan = [{ ...planItems[0]!, dueAt: at(60) }];
    snapshot = accepted(config(), snapshot, held({ reviews, newPromises: newPlan }, at(40))).snapshot;
    expect(seriesOf(config(), snapshot, 'planLetter')[0]).toMatchObject({
      dueAt: at(43),
      step: 0,
      event: { type: 'deadline.reached', payload: { kind: 'planLetter', ref: 'planLetter' } },
    });
  });

  it('no private deliberation and no approval in this model', () => {
    const path = [opened(config()), meeting(), accepted(config(), meeting(), held()).snapshot, continuing()];
    for (const snapshot of path) {
      for (const type of [
        'deliberation.completed',
        'deliberation.failed',
        'plan.approved',
        'plan.rejected',
        'conference.opened',
      ]) {
        expect(allowedEvents(config(), snapshot)).not.toContain(type);
      }
    }
    refusedBy(
      apply(config(), accepted(config(), meeting(), held()).snapshot, ev('plan.approved', {}, at(6))),
      'eventAllowedInPhase',
    );
  });

  it('a closed case reopens into preparation', () => {
    const closed = applyAll(config(), meeting(), [held(), letter()]);
    const { snapshot } = accepted(config(), closed, ev('case.reopened', { reason: 'new worries' }, at(30)));
    expect(snapshot.value).toBe('preparation');
    expect(snapshot.context).toMatchObject({ pendingClose: null, planLetterDueAt: null, closedReason: null });
  });
});
