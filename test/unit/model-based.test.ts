/**
 * Model-based tests: every built-in variant's statechart is traversed with `xstate/graph`, fed by the event
 * generators of test/support/model.ts, and invariants of the public process functions are checked on every
 * reachable (abstracted) state and every edge.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AnyMachineSnapshot } from 'xstate';
import { adjacencyMapToArray, getAdjacencyMap } from 'xstate/graph';
import { caseViewSchema, commandTypes, timerTypes, type CaseEvent } from '../../libs/contracts/src';
import {
  addDuration,
  allowedEvents,
  apply,
  builtInVariants,
  deadlinesOf,
  eventsOf,
  fold,
  machineOf,
  openingEvent,
  openPromises,
  phaseOf,
  phasesOf,
  stepsTaken,
  start,
  subtractDuration,
  viewOf,
  type CaseSnapshot,
  type VariantConfig,
  promisesOf,
} from '../../libs/process/src';
import { malformed, proposals, sampleCommand, type Proposal } from '../support/model';
import { actors, CW, T0 } from '../support/scenarios';

const CASE_ID = 'c_model';
const persist = (s: AnyMachineSnapshot): CaseSnapshot => ({
  value: s.value,
  context: s.context as CaseSnapshot['context'],
});
const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * The abstraction that bounds the state space: the statechart value plus the facts the rules of that phase
 * read, counted rather than listed, and how far each running ladder has climbed. Facts no later rule reads
 * (the conference ladder after the conference, rejections after approval) are left out.
 */
function serialize(config: VariantConfig, s: AnyMachineSnapshot): string {
  const c = persist(s).context;
  const phase = phaseOf(s.value);
  const steps = (kind: string, ref: string) => stepsTaken(c, kind as never, ref);
  if (phase === 'closed')
    return JSON.stringify([s.value, c.closedReason, c.agreement !== null, promisesOf(c).length > 0]);
  const open = openPromises(c);
  const at = c.nextMeetingAt;
  return JSON.stringify([
    s.value,
    c.agreement !== null,
    c.coordinators.length,
    c.participants.length > 0,
    c.supportPerson !== null,
    c.summaries.length,
    c.childWishes !== null,
    Math.min(promisesOf(c).length, 4),
    open.map((p) => steps('promise', p.id)).sort(),
    phase === 'presentation' || phase === 'privateDeliberation' ? c.plan.rejections : null,
    Math.min(c.meetingsHeld, 2),
    c.pendingClose?.reason ?? null,
    phase === 'preparation' ? steps('conference', 'conference') : null,
    // The plan letter's series outlives one letter (a continuation writes another), so it is kept throughout.
    steps('planLetter', 'planLetter'),
    at === null ? null : [steps('meetingReminder', at), steps('meetingDate', at), steps('meeting', at)],
    // What an invariant reads must not be abstracted away, or the first representative hides a violation.
    aheadOfClock(config, persist(s)).length > 0,
  ]);
}

/** Ladders that took a step before it was due (see runningLadders). */
function aheadOfClock(config: VariantConfig, s: CaseSnapshot): string[] {
  return runningLadders(config, s)
    .filter(({ taken, dueOfStep }) => {
      if (taken === 0) return false;
      const due = dueOfStep(taken - 1);
      return due === undefined || Date.parse(due) > Date.parse(s.context.updatedAt);
    })
    .map(({ kind, ref }) => `${kind}:${ref}`);
}

interface Traversal {
  config: VariantConfig;
  /** Representative snapshot of every abstract state, in breadth-first order. */
  states: Map<string, CaseSnapshot>;
  /** How each representative was first reached: its parent's key and the event (null for the initial state). */
  parents: Map<string, { from: string; event: CaseEvent } | null>;
  edges: { from: CaseSnapshot; event: CaseEvent; to: CaseSnapshot; proposal: Proposal | undefined }[];
  ms: number;
}

/**
 * Breadth-first traversal with `getAdjacencyMap`. Paths are taken from the traversal tree rather than from
 * `getShortestPaths`: under an abstracting `serializeState`, getShortestPaths labels each path with the last
 * concrete snapshot seen for its abstract end state, so its events do not replay to its `state`. The tree
 * path of a representative does: each representative is exactly its parent's successor under its event.
 */
function traverse(config: VariantConfig): Traversal {
  const started = Date.now();
  const machine = machineOf(config);
  const byEvent = new WeakMap<object, Proposal>();
  const keys = new WeakMap<object, string>();
  const parents: Traversal['parents'] = new Map();
  const keyOf = (s: AnyMachineSnapshot) => {
    let key = keys.get(s);
    if (key === undefined) keys.set(s, (key = serialize(config, s)));
    return key;
  };
  const adjacency = getAdjacencyMap(machine, {
    input: {
      caseId: CASE_ID,
      caseworker: CW,
      openedAt: T0,
      variant: { key: config.key, version: config.version },
    },
    serializeState: (s: AnyMachineSnapshot, event: CaseEvent | undefined, prev?: AnyMachineSnapshot) => {
      const key = keyOf(s);
      if (!parents.has(key)) parents.set(key, prev && event ? { from: keyOf(prev), event } : null);
      return key;
    },
    events: (s: AnyMachineSnapshot) =>
      proposals(config, persist(s)).map((p) => {
        byEvent.set(p.event, p);
        return p.event;
      }),
    limit: 100_000,
  } as never);
  const states = new Map<string, CaseSnapshot>();
  for (const [key, v] of Object.entries(adjacency)) states.set(key, persist(v.state as AnyMachineSnapshot));
  const edges = adjacencyMapToArray(adjacency).map((e) => ({
    from: persist(e.state as AnyMachineSnapshot),
    event: e.event as CaseEvent,
    to: persist(e.nextState as AnyMachineSnapshot),
    proposal: byEvent.get(e.event as object),
  }));
  return { config, states, parents, edges, ms: Date.now() - started };
}

/** The events of the traversal tree that lead from the opened case to the state `key`. */
function pathTo(t: Traversal, key: string): CaseEvent[] {
  const events: CaseEvent[] = [];
  for (let link = t.parents.get(key); link; link = t.parents.get(link.from)) events.push(link.event);
  return events.reverse();
}

/**
 * The ladders the specification says run in this state, with the due time of each step computed here from
 * the config (an oracle independent of deadlines.ts): promises from dueAt, the conference from the agreement,
 * the plan letter from its due time, the next meeting's reminder, date and grace ladder.
 */
function runningLadders(config: VariantConfig, s: CaseSnapshot) {
  const ctx = s.context;
  const taken = (kind: string, ref: string) => stepsTaken(ctx, kind as never, ref);
  const ladder = (base: string) => (i: number) => {
    const step = config.escalation[i];
    return step && addDuration(base, step.after);
  };
  /** A deadline opens with `deadline.reached` at its base, then climbs the ladder without the reminder. */
  const deadline = (base: string) => {
    const rest = config.escalation.filter((x) => x.level !== 'reminder');
    return (i: number) => (i === 0 ? base : rest[i - 1] && addDuration(base, rest[i - 1]!.after));
  };
  const out: { kind: string; ref: string; taken: number; dueOfStep: (i: number) => string | undefined }[] =
    [];
  for (const p of openPromises(ctx))
    out.push({ kind: 'promise', ref: p.id, taken: taken('promise', p.id), dueOfStep: ladder(p.dueAt) });
  const phase = phaseOf(s.value);
  const d = config.durations as Record<string, string>;
  if (phase === 'preparation' && ctx.agreement && d.conferenceWithin) {
    const base = addDuration(ctx.agreement.at, d.conferenceWithin);
    out.push({
      kind: 'conference',
      ref: 'conference',
      taken: taken('conference', 'conference'),
      dueOfStep: deadline(base),
    });
  }
  if (phase === 'planDelivery' && ctx.planLetterDueAt) {
    out.push({
      kind: 'planLetter',
      ref: 'planLetter',
      taken: taken('planLetter', 'planLetter'),
      dueOfStep: deadline(ctx.planLetterDueAt),
    });
  }
  const at = ctx.nextMeetingAt;
  if (at && d.meetingGrace) {
    out.push({
      kind: 'meeting',
      ref: at,
      taken: taken('meeting', at),
      dueOfStep: ladder(addDuration(at, d.meetingGrace)),
    });
    out.push({
      kind: 'meetingReminder',
      ref: at,
      taken: taken('meetingReminder', at),
      dueOfStep: (i) => (i === 0 ? subtractDuration(at, d.meetingReminderBefore!) : undefined),
    });
    out.push({
      kind: 'meetingDate',
      ref: at,
      taken: taken('meetingDate', at),
      dueOfStep: (i) => (i === 0 ? at : undefined),
    });
  }
  return out;
}

/** Collects violations so that one run reports all of them (up to a limit) instead of the first. */
function collector() {
  const list: string[] = [];
  return {
    list,
    fail(where: string, message: string, data?: unknown) {
      if (list.length < 25)
        list.push(`${where}: ${message}${data === undefined ? '' : ` ${JSON.stringify(data)}`}`);
    },
  };
}

const where = (s: CaseSnapshot) => `${JSON.stringify(s.value)}#${s.context.seq}`;

/** Lower bounds on the traversal per variant: if the generators stop reaching states, the test fails. */
const minimumStates: Record<string, number> = {
  fgc: 600,
  acute: 520,
  'network-mapping': 650,
  'network-meeting': 300,
};
const expectedCloseReasons: Record<string, string[]> = {
  fgc: ['noAgreement', 'needsMet', 'other'],
  acute: ['noAgreement', 'needsMet', 'other'],
  'network-mapping': ['needsMet', 'other'],
  'network-meeting': ['needsMet', 'declined'],
};

describe.each(builtInVariants.map((c) => [c.key, c] as const))('model-based: %s', (key, config) => {
  let t: Traversal;
  beforeAll(() => {
    t = traverse(config);
  });

  it('traverses a bounded state space quickly, reaching every phase and closing in every way', () => {
    expect(t.states.size).toBeGreaterThanOrEqual(minimumStates[key]!);
    expect(t.ms).toBeLessThan(20_000);
    const phases = new Set([...t.states.values()].map((s) => phaseOf(s.value)));
    expect([...phases].sort()).toEqual([...phasesOf[config.template]].sort());
    const closed = [...t.states.entries()].filter(([, s]) => s.value === 'closed');
    const reasons = new Set(closed.map(([, s]) => s.context.closedReason));
    for (const r of expectedCloseReasons[key]!) expect(reasons).toContain(r);
    for (const [k] of closed) expect(pathTo(t, k).length).toBeGreaterThan(0);
    // Every ladder step kind was taken somewhere.
    const timerTypesSeen = new Set(
      t.edges.filter((e) => e.to.context.seq > e.from.context.seq).map((e) => e.event.type),
    );
    for (const type of timerTypes) expect(timerTypesSeen).toContain(type);
  });

  it('allowedEvents is never empty; in closed it is exactly case.reopened; only events of the template', () => {
    const c = collector();
    for (const s of t.states.values()) {
      const allowed = allowedEvents(config, s);
      if (phaseOf(s.value) === 'closed') {
        if (!isDeepStrictEqual(allowed, ['case.reopened'])) c.fail(where(s), 'closed allows', allowed);
      } else if (allowed.length === 0) c.fail(where(s), 'nothing allowed');
      const foreign = allowed.filter((a) => !(eventsOf[config.template] as string[]).includes(a));
      if (foreign.length) c.fail(where(s), 'events outside the template', foreign);
    }
    expect(c.list).toEqual([]);
  });

  it('every open promise has a pending deadline until its ladder is exhausted; a closed case has none', () => {
    const c = collector();
    for (const s of t.states.values()) {
      const pending = deadlinesOf(config, s);
      if (phaseOf(s.value) === 'closed') {
        if (pending.length)
          c.fail(
            where(s),
            'closed case has deadlines',
            pending.map((d) => `${d.kind}:${d.ref}`),
          );
        continue;
      }
      for (const p of openPromises(s.context)) {
        const taken = stepsTaken(s.context, 'promise', p.id);
        const next = pending.find((d) => d.kind === 'promise' && d.ref === p.id);
        if (taken < config.escalation.length && !next)
          c.fail(where(s), `open promise ${p.id} has no pending deadline`);
        if (next && next.step !== taken)
          c.fail(where(s), `promise ${p.id}: next step ${next.step}, taken ${taken}`);
      }
      for (let i = 1; i < pending.length; i++) {
        if (Date.parse(pending[i - 1]!.dueAt) > Date.parse(pending[i]!.dueAt))
          c.fail(where(s), 'deadlines not earliest first');
      }
    }
    expect(c.list).toEqual([]);
  });

  it('no ladder is ahead of the clock: a step is taken only once it was due (product.md, contract.md ladder)', () => {
    const c = collector();
    let checked = 0;
    for (const s of t.states.values()) {
      if (phaseOf(s.value) === 'closed') continue;
      for (const { kind, ref, taken, dueOfStep } of runningLadders(config, s)) {
        if (taken === 0) continue;
        checked++;
        const due = dueOfStep(taken - 1);
        if (due === undefined) c.fail(where(s), `${kind}:${ref} took ${taken} steps, the ladder has fewer`);
        else if (Date.parse(due) > Date.parse(s.context.updatedAt)) {
          c.fail(
            where(s),
            `${kind}:${ref} step ${taken - 1} counted as taken but only due at ${due} (now ${s.context.updatedAt})`,
          );
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(c.list).toEqual([]);
  });

  it('case facts stay consistent: next meeting between meetings, closure reason iff closed, promise ids in order', () => {
    const c = collector();
    const between: Record<string, string[]> = {
      fgc: ['followUp'],
      acute: ['followUp'],
      'network-mapping': ['meeting', 'continuation'],
      'network-meeting': ['meeting', 'actionPeriod'],
    };
    for (const s of t.states.values()) {
      const phase = phaseOf(s.value);
      const ctx = s.context;
      if (between[config.template]!.includes(phase) && ctx.nextMeetingAt === null)
        c.fail(where(s), 'no next meeting date');
      if ((phase === 'closed') !== (ctx.closedReason !== null))
        c.fail(where(s), `closedReason ${ctx.closedReason} in ${phase}`);
      if (phase === 'closed' && ctx.nextMeetingAt !== null)
        c.fail(where(s), 'a closed case has a next meeting');
      const ids = promisesOf(ctx).map((p) => p.id);
      if (
        !isDeepStrictEqual(
          ids,
          ids.map((_, i) => `p${i + 1}`),
        )
      )
        c.fail(where(s), 'promise ids not p1..pn', ids);
    }
    expect(c.list).toEqual([]);
  });

  it('a command type outside allowedEvents is refused by a process rule, and nothing changes', () => {
    const c = collector();
    let checked = 0;
    for (const s of t.states.values()) {
      const allowed = allowedEvents(config, s);
      const before = JSON.stringify(s);
      for (const type of eventsOf[config.template].filter((x) => !allowed.includes(x))) {
        const r = apply(config, s, sampleCommand(config, s, type));
        checked++;
        if (!('rejected' in r)) c.fail(where(s), `${type} accepted though not allowed`);
        else {
          if (r.rejected.rule === 'payloadMatchesSchema')
            c.fail(where(s), `${type} sample is malformed`, r.rejected);
          if (!isDeepStrictEqual(r.rejected.allowedEvents, allowed))
            c.fail(where(s), `${type}: rejection lists other allowedEvents`);
        }
      }
      if (JSON.stringify(s) !== before) c.fail(where(s), 'apply mutated its input');
    }
    expect(checked).toBeGreaterThan(t.states.size);
    expect(c.list).toEqual([]);
  });

  it('every allowed event type has a plausible event that is accepted', () => {
    const c = collector();
    for (const s of t.states.values()) {
      const accepted = new Set<string>();
      for (const p of proposals(config, s)) if (p.expect === 'accept') accepted.add(p.event.type);
      for (const type of allowedEvents(config, s)) {
        if (accepted.has(type)) continue;
        const r = apply(config, s, sampleCommand(config, s, type as never));
        if ('rejected' in r) c.fail(where(s), `${type} is allowed but refused`, r.rejected.rule);
      }
    }
    expect(c.list).toEqual([]);
  });

  it('on every edge, apply agrees with the statechart and with the specification', () => {
    const c = collector();
    let accepted = 0;
    let refused = 0;
    for (const e of t.edges) {
      const r = apply(config, e.from, e.event);
      const why = e.proposal ? `${e.event.type} (${e.proposal.why})` : e.event.type;
      if ('rejected' in r) {
        refused++;
        if (e.proposal?.expect === 'accept')
          c.fail(where(e.from), `${why} refused by ${r.rejected.rule}`, r.rejected.message);
        if (!isDeepStrictEqual(json(e.to), json(e.from)))
          c.fail(where(e.from), `${why}: refused by apply but the machine moved`);
      } else {
        accepted++;
        if (e.proposal?.expect === 'reject') c.fail(where(e.from), `${why} accepted`);
        if (!isDeepStrictEqual(json(r.snapshot), json(e.to)))
          c.fail(where(e.from), `${why}: apply and the machine disagree`);
        if (r.snapshot.context.seq !== e.from.context.seq + 1)
          c.fail(where(e.from), `${why}: seq did not grow by 1`);
        if (r.snapshot.context.updatedAt !== e.event.at)
          c.fail(where(e.from), `${why}: updatedAt is not the event's time`);
        if (!isDeepStrictEqual(json(r.snapshot), r.snapshot))
          c.fail(where(e.from), `${why}: snapshot is not plain JSON`);
      }
    }
    expect(t.edges.filter((e) => !e.proposal)).toEqual([]);
    expect(accepted).toBeGreaterThan(t.states.size);
    expect(refused).toBeGreaterThan(t.states.size);
    expect(c.list).toEqual([]);
  });

  it('malformed input, timers from users and events back in time are refused by the right rule', () => {
    const c = collector();
    for (const s of t.states.values()) {
      for (const bad of malformed(config, s)) {
        const r = apply(config, s, bad);
        if (!('rejected' in r) || r.rejected.rule !== 'payloadMatchesSchema')
          c.fail(where(s), 'malformed input not refused as payload', bad);
        else if (!r.rejected.problems?.length) c.fail(where(s), 'payload refusal without problems', bad);
      }
      for (const p of proposals(config, s)) {
        if (p.expect !== 'accept') continue;
        if ((timerTypes as string[]).includes(p.event.type)) {
          const r = apply(config, s, { ...p.event, actor: actors.co });
          if (!('rejected' in r) || r.rejected.rule !== 'timersRaisedByWorkflowOnly')
            c.fail(where(s), `${p.event.type} from a user`);
        }
        const early = new Date(Date.parse(s.context.updatedAt) - 1).toISOString();
        const r = apply(config, s, { ...p.event, at: early });
        if (!('rejected' in r) || r.rejected.rule !== 'timeMovesForward')
          c.fail(where(s), `${p.event.type} back in time`, 'rejected' in r ? r.rejected.rule : 'accepted');
      }
    }
    expect(c.list).toEqual([]);
  });

  it('the view of every state parses with caseViewSchema and agrees with the process', () => {
    const c = collector();
    for (const s of t.states.values()) {
      const view = viewOf(config, s);
      const parsed = caseViewSchema.safeParse(view);
      if (!parsed.success) c.fail(where(s), 'view does not parse', parsed.error.issues);
      if (!isDeepStrictEqual(view.allowedEvents, allowedEvents(config, s)))
        c.fail(where(s), 'view.allowedEvents differs');
      if (view.lastSeq !== s.context.seq || view.phase !== phaseOf(s.value))
        c.fail(where(s), 'view seq or phase differs');
      const series = view.deadlines.map((d) => `${d.kind}:${d.ref}`);
      if (new Set(series).size !== series.length) c.fail(where(s), 'view lists a series twice', series);
    }
    expect(c.list).toEqual([]);
  });

  it("folding a path and applying it event by event give the machine's snapshot", () => {
    const c = collector();
    const input = { caseId: CASE_ID, caseworker: CW, openedAt: T0 };
    const live = new Map<string, CaseSnapshot>();
    const leaves = new Set(t.states.keys());
    for (const link of t.parents.values()) if (link) leaves.delete(link.from);
    let folded = 0;
    // Breadth-first order: a parent's live snapshot is known before its children's.
    for (const [key, representative] of t.states) {
      const link = t.parents.get(key);
      let snapshot: CaseSnapshot | undefined;
      if (!link) snapshot = start(config, input);
      else {
        const parent = live.get(link.from);
        const r = parent && apply(config, parent, link.event);
        if (!r || 'rejected' in r)
          c.fail(
            where(representative),
            `path event ${link.event.type} refused`,
            r && 'rejected' in r ? r.rejected : 'no parent',
          );
        else snapshot = r.snapshot;
      }
      if (!snapshot) continue;
      live.set(key, snapshot);
      if (!isDeepStrictEqual(json(snapshot), json(representative)))
        c.fail(where(representative), 'apply path differs from the machine');
      const path = pathTo(t, key);
      if (snapshot.context.seq !== path.length + 1)
        c.fail(where(representative), `seq ${snapshot.context.seq} after ${path.length} events`);
      // Folding is checked at the tree's leaves: every other state is a prefix of a leaf's path, where the
      // step-by-step apply above already matched the machine.
      if (!leaves.has(key)) continue;
      const history = [openingEvent(config, input), ...path];
      for (const validate of [false, true]) {
        const f = fold(config, CASE_ID, history, { validate });
        folded++;
        if (!('snapshot' in f))
          c.fail(where(representative), `fold (validate ${validate}) broke at ${f.brokenAt}`, f.rejected);
        else if (!isDeepStrictEqual(json(f.snapshot), json(snapshot)))
          c.fail(where(representative), `fold (validate ${validate}) differs from apply`);
      }
    }
    expect(live.size).toBe(t.states.size);
    expect(folded).toBe(2 * leaves.size);
    expect(leaves.size).toBeGreaterThan(t.states.size / 10);
    expect(c.list).toEqual([]);
  });
});

it('the generators cover every command type of every template', () => {
  for (const config of builtInVariants) {
    const s = start(config, { caseId: CASE_ID, caseworker: CW, openedAt: T0 });
    for (const type of commandTypes) {
      const e = sampleCommand(config, s, type);
      expect(e.type).toBe(type);
    }
  }
});
