/**
 * The checks `apply` makes before any rule of a phase: the schema, timers from the workflow only, time
 * moving forward, the event existing in the phase; purity, `stamp`, and folding a history.
 */
import fc from 'fast-check';
import {
  allowedEvents,
  apply,
  builtInVariants,
  fold,
  openingEvent,
  type CaseSnapshot,
  type VariantConfig,
} from '../../../libs/process/src';
import {
  accepted,
  actors,
  at,
  conferenceUpToFollowUp,
  CW,
  ev,
  fgc,
  foldAll,
  networkMapping,
  networkMappingUpToMeeting,
  networkMeeting,
  networkMeetingFirstMeeting,
  networkMeetingUpToMeeting,
  opened,
  refusedBy,
  T0,
} from '../../support/scenarios';

const followUp = (): CaseSnapshot => foldAll(fgc(), conferenceUpToFollowUp(fgc()));

/** A snapshot in (nearly) every phase of every template, to throw garbage at. */
function sampleSnapshots(): [VariantConfig, CaseSnapshot][] {
  const out: [VariantConfig, CaseSnapshot][] = builtInVariants.map((c) => [c, opened(c)]);
  const events = conferenceUpToFollowUp(fgc());
  for (let n = 1; n <= events.length; n++) out.push([fgc(), foldAll(fgc(), events.slice(0, n))]);
  out.push([
    networkMeeting(),
    foldAll(networkMeeting(), [...networkMeetingUpToMeeting(), networkMeetingFirstMeeting()]),
  ]);
  out.push([networkMapping(), foldAll(networkMapping(), networkMappingUpToMeeting())]);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('events are checked against their schema first (payloadMatchesSchema)', () => {
  it('an unknown event type is refused with the problem named', () => {
    const rejection = refusedBy(
      apply(fgc(), opened(fgc()), { type: 'case.deleted', at: at(1), actor: actors.cw, payload: {} }),
      'payloadMatchesSchema',
    );
    expect(rejection.problems?.[0]?.path).toBe('type');
    expect(rejection.allowedEvents).toEqual(['agreement.recorded', 'case.closed']);
  });

  it('an unknown payload field is refused (strict payloads)', () => {
    const r = apply(fgc(), opened(fgc()), {
      ...ev('case.closed', { reason: 'other' }, at(1)),
      payload: { reason: 'other', by: 'me' },
    });
    expect(refusedBy(r, 'payloadMatchesSchema').problems?.map((p) => p.path)).toEqual(['payload']);
  });

  it('a time that is not UTC ISO-8601 is refused', () => {
    const r = apply(fgc(), opened(fgc()), {
      ...ev('case.closed', { reason: 'other' }, at(1)),
      at: '5.1.2026 klo 10',
    });
    expect(refusedBy(r, 'payloadMatchesSchema').problems?.map((p) => p.path)).toEqual(['at']);
  });

  it('every problem of a payload is listed, not only the first', () => {
    const r = apply(fgc(), opened(fgc()), { ...ev('agreement.recorded', {} as never, at(1)) });
    const paths = refusedBy(r, 'payloadMatchesSchema').problems?.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'payload.guardians',
        'payload.childConsulted',
        'payload.concerns',
        'payload.questions',
        'payload.professionals',
      ]),
    );
  });

  it('an event of another template is not possible in this phase (eventAllowedInPhase)', () => {
    const rejection = refusedBy(
      apply(fgc(), followUp(), ev('planLetter.sent', {}, at(3))),
      'eventAllowedInPhase',
    );
    expect(rejection.allowedEvents).toEqual([
      'meeting.held',
      'promise.made',
      'promise.kept',
      'promise.notKept',
      'case.closed',
    ]);
  });
});

describe('events earlier than the last accepted one are refused (timeMovesForward)', () => {
  it('an event before the last accepted event is refused, and the case is unchanged', () => {
    const snapshot = followUp();
    const rejection = refusedBy(
      apply(fgc(), snapshot, ev('promise.kept', { promiseId: 'p1' }, at(2.1))),
      'timeMovesForward',
    );
    expect(rejection.allowedEvents).toEqual(allowedEvents(fgc(), snapshot));
  });

  it('an event before the case was opened is refused', () => {
    refusedBy(
      apply(
        fgc(),
        opened(fgc()),
        ev('agreement.recorded', { ...conferenceUpToFollowUp(fgc())[0]!.payload } as never, at(-1)),
      ),
      'timeMovesForward',
    );
  });

  it('an event at the same instant as the last one is accepted', () => {
    const snapshot = followUp();
    expect(
      accepted(fgc(), snapshot, ev('promise.kept', { promiseId: 'p1' }, snapshot.context.updatedAt)).snapshot
        .context.seq,
    ).toBe(snapshot.context.seq + 1);
  });
});

describe('apply never throws on garbage input', () => {
  const garbage: unknown[] = [
    undefined,
    null,
    0,
    NaN,
    'meeting.held',
    [],
    {},
    { type: 'meeting.held' },
    { type: 'meeting.held', at: at(60), actor: actors.co, payload: null },
    {
      type: 'meeting.held',
      at: at(60),
      actor: actors.co,
      payload: { attendees: 'all', reviews: {}, newPromises: 1 },
    },
    { type: 'promise.kept', at: at(60), actor: { sub: '', role: 'root' }, payload: { promiseId: 'p1' } },
    { type: 'reminder.sent', at: at(60), actor: actors.system, payload: { recipients: [] } },
    {
      type: 'deadline.reached',
      at: at(60),
      actor: actors.system,
      payload: { kind: 'conference', ref: 'conference' },
    },
    {
      type: 'case.opened',
      at: at(60),
      actor: actors.cw,
      payload: { variant: 'fgc', version: 1, caseworker: CW },
    },
    { type: 'agreement.recorded', at: '2026-02-30T00:00:00Z', actor: actors.cw, payload: {} },
    { type: 'case.closed', at: at(60), actor: actors.cw, payload: { reason: 'other' }, extra: true },
    JSON.parse('{"__proto__": {"type": "case.closed"}, "constructor": 1}'),
    Object.create(null),
  ];

  it.each(garbage.map((g, i) => [i, g]))(
    'garbage #%i is refused by a named rule, with allowedEvents',
    (_i, input) => {
      for (const [config, snapshot] of sampleSnapshots()) {
        const r = apply(config, snapshot, input);
        expect('rejected' in r || 'snapshot' in r).toBe(true);
        if ('rejected' in r) {
          expect(r.rejected.rule).toEqual(expect.any(String));
          expect(r.rejected.allowedEvents).toEqual(allowedEvents(config, snapshot));
        }
      }
    },
  );

  it('arbitrary values never make apply throw', () => {
    const snapshots = sampleSnapshots();
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withSparseArray: true,
        }),
        fc.nat(snapshots.length - 1),
        (input, i) => {
          const [config, snapshot] = snapshots[i]!;
          const r = apply(config, snapshot, input);
          return 'rejected' in r && typeof r.rejected.rule === 'string';
        },
      ),
      { numRuns: 500 },
    );
  });

  it('event-shaped values with arbitrary payloads never make apply throw', () => {
    const snapshots = sampleSnapshots();
    const types = [
      'agreement.recorded',
      'coordinator.assigned',
      'conference.opened',
      'deliberation.completed',
      'plan.approved',
      'meeting.held',
      'planLetter.sent',
      'promise.made',
      'promise.kept',
      'reminder.sent',
      'escalation.raised',
      'deadline.reached',
      'case.opened',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.oneof(
          fc.anything(),
          fc.record({
            attendees: fc.array(fc.string()),
            reviews: fc.array(fc.anything()),
            newPromises: fc.array(fc.anything()),
          }),
        ),
        fc.constantFrom(actors.cw, actors.co, actors.system),
        fc.nat(snapshots.length - 1),
        (type, payload, actor, i) => {
          const [config, snapshot] = snapshots[i]!;
          const r = apply(config, snapshot, { type, at: at(100), actor, payload });
          return 'rejected' in r || 'snapshot' in r;
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('apply is pure, and every accepted event is stamped (stamp)', () => {
  it('apply does not change the snapshot it is given', () => {
    const snapshot = deepFreeze(followUp());
    const copy = structuredClone(snapshot);
    accepted(fgc(), snapshot, ev('promise.kept', { promiseId: 'p1' }, at(10)));
    refusedBy(apply(fgc(), snapshot, ev('promise.kept', { promiseId: 'p9' }, at(10))), 'promiseIsOpen');
    expect(snapshot).toEqual(copy);
  });

  it('stamp counts accepted events (seq starts at 1 for case.opened) and keeps the normalised time', () => {
    const start = opened(fgc());
    expect(start.context.seq).toBe(1);
    const { snapshot } = accepted(
      fgc(),
      start,
      ev('case.closed', { reason: 'declined' }, '2026-01-05T10:00Z'),
    );
    expect(snapshot.context.seq).toBe(2);
    expect(snapshot.context.updatedAt).toBe('2026-01-05T10:00:00.000Z');
    expect(followUp().context.seq).toBe(1 + conferenceUpToFollowUp(fgc()).length);
  });

  it('a rejection names the rule, the state and a sentence to act on', () => {
    const r = apply(fgc(), followUp(), ev('promise.kept', { promiseId: 'p9' }, at(10)));
    expect(r).toEqual({
      rejected: {
        rule: 'promiseIsOpen',
        message: 'Only an open promise can be marked kept or not kept.',
        state: { followUp: 'awaitingMeeting' },
        allowedEvents: ['meeting.held', 'promise.made', 'promise.kept', 'promise.notKept', 'case.closed'],
      },
    });
  });
});

describe('fold', () => {
  const opening = openingEvent(fgc(), { caseId: 'c_test', caseworker: CW, openedAt: T0 });

  it('folding a history gives the same snapshot as applying its events one by one', () => {
    const events = conferenceUpToFollowUp(fgc());
    expect(fold(fgc(), 'c_test', [opening, ...events])).toEqual({ snapshot: followUp() });
    expect(fold(fgc(), 'c_test', [opening, ...events], { validate: true })).toEqual({ snapshot: followUp() });
  });

  it('a history starts with case.opened (historyStartsWithOpening)', () => {
    expect(fold(fgc(), 'c_test', [])).toMatchObject({
      brokenAt: 0,
      rejected: { rule: 'historyStartsWithOpening' },
    });
    expect(fold(fgc(), 'c_test', conferenceUpToFollowUp(fgc()))).toMatchObject({
      brokenAt: 0,
      rejected: { rule: 'historyStartsWithOpening' },
    });
    expect(fold(fgc(), 'c_test', [{ ...opening, payload: {} } as never])).toMatchObject({ brokenAt: 0 });
  });

  it('the first entry the machine refuses is reported with its position and rule', () => {
    const events = conferenceUpToFollowUp(fgc());
    const tampered = [
      opening,
      ...events.slice(0, 3),
      ev('coordinator.assigned', { coordinatorId: 'co3', unit: 'west' }, at(1.05)),
      ...events.slice(3),
    ];
    expect(fold(fgc(), 'c_test', tampered)).toMatchObject({
      brokenAt: 4,
      rejected: { rule: 'coordinatorPlaceOpen' },
    });
  });

  it('a malformed stored entry is reported, not thrown, even without validation', () => {
    const events = conferenceUpToFollowUp(fgc());
    for (const bad of [
      null,
      { type: 'meeting.held', at: at(60), actor: actors.co, payload: {} },
      { ...events[1]!, payload: null },
    ]) {
      const history = [opening, events[0]!, bad as never];
      const result = fold(fgc(), 'c_test', history);
      expect(result).toMatchObject({ brokenAt: 2 });
      expect('rejected' in result && result.rejected.rule).toEqual(expect.any(String));
    }
  });
});
