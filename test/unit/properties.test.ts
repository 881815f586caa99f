/**
 * Property tests of the pure process: random sequences of inputs (events the model proposes, well-formed
 * events with random payloads, timer events with random payloads, real deadline steps at random times,
 * garbage) are fed through `apply`. It never throws; it accepts (seq + 1) or refuses (nothing changes);
 * folding the accepted history gives the live snapshot.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  caseEventSchema,
  caseViewSchema,
  closeReasons,
  commandTypes,
  SYSTEM_ACTOR,
  timerTypes,
  type Actor,
  type CaseEvent,
} from '../../libs/contracts/src';
import {
  allowedEvents,
  apply,
  builtInVariants,
  deadlinesOf,
  fold,
  openingEvent,
  stepsTaken,
  start,
  viewOf,
  type CaseSnapshot,
  type Deadline,
  type VariantConfig,
} from '../../libs/process/src';
import { HOUR, proposals } from '../support/model';
import { actors, CW, family, T0 } from '../support/scenarios';

const CASE_ID = 'c_prop';
const INPUT = { caseId: CASE_ID, caseworker: CW, openedAt: T0 };
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

// --- random payloads: values from small pools, so that random events sometimes fit the case ---

/** A time relative to the case's last event, resolved when the step runs: `{ $h: hours }`. */
const time = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -48, max: 24 * 60 }).map((h) => ({ $h: h })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2026-01-05T08:00Z',
      '9999-12-31T23:59:59.999Z',
      '2026-02-30T08:00:00.000Z',
      'soon',
    ),
  },
);
const id = fc.constantFrom(
  'child',
  'mother',
  'grandma',
  'teacher',
  'cw1',
  'co1',
  'co2',
  'p1',
  'p2',
  'p3',
  'stranger',
  '',
  ' ',
);
const text = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('x', 'Testi Opettaja', 'School', 'a plan') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const promiseInput = fc.record({ what: text, owner: id, verifier: id, dueAt: time });
const actor: fc.Arbitrary<Actor> = fc.constantFrom<Actor>(
  actors.cw,
  actors.co,
  actors.co2,
  SYSTEM_ACTOR,
  { sub: 'aud1', role: 'auditor' },
  { sub: 'sup1', role: 'supervisor' },
);

const payloads: Record<string, fc.Arbitrary<unknown>> = {
  'agreement.recorded': fc.record({
    guardians: fc.array(fc.record({ name: text, consent: fc.constantFrom<unknown>(true, true, false) }), {
      maxLength: 2,
    }),
    childConsulted: fc.boolean(),
    concerns: fc.array(text, { maxLength: 2 }),
    questions: fc.array(text, { maxLength: 2 }),
    professionals: fc.array(
      fc.record({ name: fc.constantFrom('Testi Opettaja', 'Other Person'), organisation: text }),
      { maxLength: 2 },
    ),
    crisis: maybe(text),
  }),
  'coordinator.assigned': fc.record({
    coordinatorId: id,
    unit: fc.constantFrom('north', 'south', ' NORTH ', 'east'),
  }),
  'participants.mapped': fc.record({
    participants: fc.oneof(
      fc.constant(family),
      fc.subarray(family),
      fc.array(
        fc.record({
          id,
          name: text,
          relation: text,
          side: fc.constantFrom('family', 'professional', 'other'),
        }),
        { maxLength: 3 },
      ),
    ),
  }),
  'supportPerson.appointed': fc.record({ name: text, forParticipantId: id }),
  'summary.received': fc.record({
    professional: fc.constantFrom('Testi Opettaja', 'testi opettaja ', 'Other Person'),
    organisation: text,
    disclosure: fc.constantFrom('all', 'partial', 'none', 'some'),
    oral: maybe(fc.boolean()),
  }),
  'meeting.scheduled': fc.record({ at: time, place: text }),
  'conference.opened': fc.record({ attendees: fc.array(id, { maxLength: 3 }) }),
  'information.completed': fc.record({
    childWishes: text,
    recordedBy: fc.constantFrom('child', 'supportPerson', 'mother'),
  }),
  'deliberation.completed': fc.record({
    plan: fc.record({ items: fc.array(promiseInput, { maxLength: 2 }) }),
  }),
  'deliberation.failed': fc.record({ reason: text }),
  'plan.approved': fc.record({ firstFollowUpAt: maybe(time) }),
  'plan.rejected': fc.record({ reasons: fc.array(text, { maxLength: 2 }) }),
  'meeting.held': fc.record({
    attendees: fc.array(id, { maxLength: 3 }),
    reviews: fc.array(
      fc.record({
        promiseId: id,
        outcome: fc.constantFrom('kept', 'notKept', 'dropped'),
        note: maybe(text),
        newSolution: maybe(text),
      }),
      { maxLength: 3 },
    ),
    newPromises: fc.array(promiseInput, { maxLength: 3 }),
    nextMeetingAt: maybe(time),
    close: maybe(fc.record({ reason: fc.constantFrom(...closeReasons) })),
  }),
  'planLetter.sent': fc.record({ note: maybe(text) }),
  'promise.made': promiseInput,
  'promise.kept': fc.record({ promiseId: id, note: maybe(text) }),
  'promise.notKept': fc.record({ promiseId: id, newSolution: maybe(text) }),
  'case.closed': fc.record({ reason: fc.constantFrom<string>(...closeReasons, 'bored'), note: maybe(text) }),
  'case.reopened': fc.record({ reason: text }),
  'reminder.sent': fc.record({
    promiseId: maybe(id),
    meetingAt: maybe(time),
    recipients: fc.array(id, { maxLength: 3 }),
  }),
  'escalation.raised': fc.record({
    promiseId: maybe(id),
    meetingAt: maybe(time),
    deadline: maybe(fc.constantFrom('conference', 'planLetter')),
    level: fc.constantFrom('reminder', 'lapsed', 'coordinator', 'supervisor'),
    recipients: fc.array(id, { maxLength: 3 }),
  }),
  'deadline.reached': fc.record({
    kind: fc.constantFrom('conference', 'planLetter', 'meetingDate', 'promise'),
    ref: fc.oneof(fc.constantFrom('conference', 'planLetter', 'p1'), time),
  }),
};

/** One input of a run; everything that depends on the case is resolved against the snapshot when it runs. */
type Step =
  | { kind: 'model'; pick: number; good: boolean }
  | { kind: 'due'; pick: number; shiftMs: number; now: boolean }
  | { kind: 'event'; type: string; payload: unknown; dt: number; actor: Actor }
  | { kind: 'garbage'; value: unknown };

const eventStep = (types: readonly string[]) =>
  fc.constantFrom(...types).chain((type) =>
    fc.record({
      kind: fc.constant('event' as const),
      type: fc.constant(type),
      payload: payloads[type]!,
      dt: fc.oneof(
        { weight: 9, arbitrary: fc.integer({ min: 0, max: 24 * 20 }) },
        { weight: 1, arbitrary: fc.integer({ min: -24, max: -1 }) },
      ),
      actor,
    }),
  );

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({ kind: fc.constant('model' as const), pick: fc.nat(), good: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('due' as const),
      pick: fc.nat(),
      shiftMs: fc.integer({ min: -2 * HOUR, max: 48 * HOUR }),
      now: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: eventStep(commandTypes) },
  { weight: 1, arbitrary: eventStep(timerTypes) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('garbage' as const),
      value: fc.oneof(
        fc.anything(),
        fc.record({
          type: fc.constantFrom(...commandTypes, ...timerTypes, 'case.opened'),
          at: fc.anything(),
          actor: fc.anything(),
          payload: fc.anything(),
        }),
        fc.jsonValue(),
      ),
    }),
  },
);

function resolveTimes(value: unknown, snapshot: CaseSnapshot): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveTimes(v, snapshot));
  if (value && typeof value === 'object') {
    if ('$h' in value)
      return new Date(
        Date.parse(snapshot.context.updatedAt) + (value as { $h: number }).$h * HOUR,
      ).toISOString();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = resolveTimes(v, snapshot);
    return out;
  }
  return value;
}

/** The concrete input of a step in this snapshot. */
function inputOf(config: VariantConfig, s: CaseSnapshot, st: Step): unknown {
  switch (st.kind) {
    case 'model': {
      const ps = proposals(config, s).filter((p) => !st.good || p.expect === 'accept');
      return ps.length ? ps[st.pick % ps.length]!.event : null;
    }
    case 'due': {
      const ds = deadlinesOf(config, s);
      const d = ds[st.pick % Math.max(ds.length, 1)];
      if (!d) return null;
      // `now`: raised at the case's current time, due or not (only a due step may be accepted).
      const updated = Date.parse(s.context.updatedAt);
      const at = new Date(
        st.now ? updated + st.shiftMs : Math.max(Date.parse(d.dueAt) + st.shiftMs, updated),
      ).toISOString();
      return { type: d.event.type, at, actor: SYSTEM_ACTOR, payload: d.event.payload };
    }
    case 'event':
      return {
        type: st.type,
        at: new Date(Date.parse(s.context.updatedAt) + st.dt * HOUR).toISOString(),
        actor: st.actor,
        payload: resolveTimes(st.payload, s),
      };
    case 'garbage':
      return st.value;
  }
}

interface Run {
  live: CaseSnapshot;
  accepted: unknown[];
  refused: number;
}

/** Feeds the steps through apply, checking each result; returns the live snapshot and the accepted inputs. */
function run(config: VariantConfig, steps: readonly Step[]): Run {
  let live = start(config, INPUT);
  const accepted: unknown[] = [];
  let refused = 0;
  for (const st of steps) {
    const input = inputOf(config, live, st);
    const before = JSON.stringify(live);
    let r: ReturnType<typeof apply>;
    try {
      r = apply(config, live, input);
    } catch (e) {
      throw new Error(`apply threw on ${JSON.stringify(input)}: ${String(e)}`);
    }
    expect(JSON.stringify(live)).toBe(before); // apply never mutates its input
    const keys = Object.keys(r).sort();
    if ('rejected' in r) {
      expect(keys).toEqual(['rejected']);
      refused++;
      expect(r.rejected.rule).toMatch(/^[a-zA-Z]+$/);
      expect(r.rejected.message.length).toBeGreaterThan(0);
      expect(r.rejected.state).toEqual(live.value);
      expect(r.rejected.allowedEvents).toEqual(allowedEvents(config, live));
    } else {
      expect(keys).toEqual(['effects', 'snapshot']);
      const event = caseEventSchema.parse(input) as CaseEvent; // what the audit log stores
      expect(r.snapshot.context.seq).toBe(live.context.seq + 1);
      expect(r.snapshot.context.updatedAt).toBe(event.at);
      expect(r.snapshot.context.updatedAt >= live.context.updatedAt).toBe(true);
      expect(json(r.snapshot)).toEqual(r.snapshot);
      if ((timerTypes as string[]).includes(event.type)) {
        // An accepted timer event is the next step of a pending series, and that step was due (compared as instants).
        const taken = (d: Deadline) => stepsTaken(live.context, d.kind, d.ref);
        const step = deadlinesOf(config, live).find(
          (d) =>
            d.step === taken(d) &&
            d.event.type === event.type &&
            isDeepStrictEqual(d.event.payload, event.payload),
        );
        expect(step && { dueAt: step.dueAt, due: Date.parse(step.dueAt) <= Date.parse(event.at) }).toEqual({
          dueAt: expect.any(String),
          due: true,
        });
      }
      // Pure: the same input on the same snapshot gives the same answer.
      expect(json(apply(config, live, input))).toEqual(json(r));
      accepted.push(input);
      live = r.snapshot;
    }
  }
  return { live, accepted, refused };
}

const runs = Number(process.env.PROPERTY_RUNS ?? 100);

describe.each(builtInVariants.map((c) => [c.key, c] as const))('properties: %s', (_key, config) => {
  it('apply never throws, accepts with seq + 1 or refuses changing nothing; fold of the accepted history equals the live snapshot', () => {
    let acceptedTotal = 0;
    let refusedTotal = 0;
    let deepest = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        const { live, accepted, refused } = run(config, steps);
        acceptedTotal += accepted.length;
        refusedTotal += refused;
        deepest = Math.max(deepest, accepted.length);
        expect(live.context.seq).toBe(accepted.length + 1);
        const stored = accepted.map((e) => caseEventSchema.parse(e) as CaseEvent);
        const history = [openingEvent(config, INPUT), ...stored];
        const folded = fold(config, CASE_ID, history);
        expect('snapshot' in folded && json(folded.snapshot)).toEqual(json(live));
        const raw = [openingEvent(config, INPUT), ...(accepted as CaseEvent[])];
        const validated = fold(config, CASE_ID, raw, { validate: true });
        expect('snapshot' in validated && json(validated.snapshot)).toEqual(json(live));
        expect(caseViewSchema.safeParse(viewOf(config, live)).success).toBe(true);
      }),
      { numRuns: runs },
    );
    // The generators must exercise both outcomes, and reach some depth.
    expect(acceptedTotal).toBeGreaterThan(runs * 3);
    expect(refusedTotal).toBeGreaterThan(runs * 3);
    expect(deepest).toBeGreaterThan(10);
  });

  it('a refused event anywhere in a history is where fold reports the break', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30, size: 'max' }), fc.nat(), (steps, at) => {
        const { accepted } = run(config, steps);
        const stored = accepted.map((e) => caseEventSchema.parse(e) as CaseEvent);
        // Insert an event that is certainly refused: a timer raised by a user.
        const bad = {
          type: 'deadline.reached',
          at: stored.at(-1)?.at ?? T0,
          actor: actors.cw,
          payload: { kind: 'promise', ref: 'p1' },
        } as CaseEvent;
        const i = at % (stored.length + 1);
        const history = [openingEvent(config, INPUT), ...stored.slice(0, i), bad, ...stored.slice(i)];
        const folded = fold(config, CASE_ID, history);
        expect(folded).toMatchObject({ brokenAt: i + 1, rejected: { rule: 'timersRaisedByWorkflowOnly' } });
      }),
      { numRuns: Math.ceil(runs / 3) },
    );
  });
});

it('timer events with the right type but any other payload, time or actor are refused', () => {
  const config = builtInVariants[0]!;
  fc.assert(
    fc.property(eventStep(timerTypes), (st) => {
      const s = start(config, INPUT);
      // A fresh case has no pending deadlines, so no timer event can be due.
      expect(deadlinesOf(config, s)).toEqual([]);
      const r = apply(config, s, inputOf(config, s, st));
      expect('rejected' in r).toBe(true);
      if (
        isDeepStrictEqual(st.actor, SYSTEM_ACTOR) &&
        'rejected' in r &&
        r.rejected.rule !== 'payloadMatchesSchema'
      ) {
        expect(['timerStepDue', 'eventAllowedInPhase', 'timeMovesForward']).toContain(r.rejected.rule);
      }
    }),
    { numRuns: 200 },
  );
});

it('a meeting ladder step is refused before it is due, whatever the meeting date (instants, not strings)', () => {
  const config = builtInVariants.find((c) => c.template === 'network-meeting')!;
  const mapped = apply(config, start(config, INPUT), {
    type: 'participants.mapped',
    at: T0,
    actor: actors.cw,
    payload: { participants: family },
  });
  if ('rejected' in mapped) throw new Error(mapped.rejected.rule);
  const latest = Date.parse('9999-12-31T23:59:59.999Z');
  fc.assert(
    fc.property(fc.integer({ min: Date.parse(T0) + 2 * HOUR, max: latest }), fc.nat(), (meetingMs, pick) => {
      const scheduled = apply(config, mapped.snapshot, {
        type: 'meeting.scheduled',
        at: new Date(Date.parse(T0) + HOUR).toISOString(),
        actor: actors.cw,
        payload: { at: new Date(meetingMs).toISOString(), place: 'Youth centre' },
      });
      if ('rejected' in scheduled) throw new Error(scheduled.rejected.rule);
      const s = scheduled.snapshot;
      const pending = deadlinesOf(config, s);
      const d = pending[pick % pending.length]!;
      const now = Date.parse(s.context.updatedAt);
      if (Date.parse(d.dueAt) <= now) return; // due already: nothing to check
      const r = apply(config, s, {
        type: d.event.type,
        at: s.context.updatedAt,
        actor: SYSTEM_ACTOR,
        payload: d.event.payload,
      });
      expect({ dueAt: d.dueAt, refusedBy: 'rejected' in r ? r.rejected.rule : 'accepted' }).toEqual({
        dueAt: d.dueAt,
        refusedBy: 'timerStepDue',
      });
    }),
    // The last days of year 9999: the grace ladder then falls into year 10000 (an extended ISO year).
    { numRuns: 300, examples: [[Date.parse('9999-12-30T00:00:00.000Z'), 0]] },
  );
});
