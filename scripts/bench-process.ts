/**
 * Micro-benchmark of the pure process: events/s for `apply` (parse, restore, transition, persist) and for
 * folding a 10,000-event history (what state-as-of and verify do). Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import type { CaseEvent } from '../libs/contracts/src';
import {
  apply,
  builtInVariant,
  deadlinesOf,
  fold,
  openingEvent,
  start,
  type CaseSnapshot,
  promisesOf,
} from '../libs/process/src';
import { at, conferenceUpToPresentation, CW, ev, T0 } from '../test/support/scenarios';

const config = builtInVariant('fgc');
const size = Number(process.env.BENCH_EVENTS ?? 10_000);

/** A long but realistic history: a conference, then promises made, reminded and kept, and follow-up meetings. */
function history(): CaseEvent[] {
  const input = { caseId: 'c_bench', caseworker: CW, openedAt: T0 };
  const events: CaseEvent[] = [openingEvent(config, input)];
  let snapshot: CaseSnapshot = start(config, input);
  const push = (e: CaseEvent) => {
    const r = apply(config, snapshot, e);
    if ('rejected' in r) throw new Error(`${e.type}: ${r.rejected.rule}`);
    snapshot = r.snapshot;
    events.push(e);
  };
  for (const e of [
    ...conferenceUpToPresentation(config),
    ev('plan.approved', { firstFollowUpAt: at(3000) }, at(2.2)),
  ])
    push(e);
  let t = Date.parse(at(3));
  const hour = 3_600_000;
  for (let i = 0; events.length < size; i++) {
    const due = new Date(t + 2 * hour).toISOString();
    push(
      ev(
        'promise.made',
        { what: `task ${i}`, owner: 'mother', verifier: 'co1', dueAt: due },
        new Date(t).toISOString(),
      ),
    );
    const reminder = deadlinesOf(config, snapshot).find(
      (d) => d.event.type === 'reminder.sent' && d.kind === 'promise',
    );
    if (reminder)
      push({ ...reminder.event, at: reminder.dueAt, actor: { sub: 'system', role: 'system' } } as CaseEvent);
    const id = promisesOf(snapshot.context).at(-1)?.id ?? 'p1';
    push(ev('promise.kept', { promiseId: id }, new Date(t + 3 * hour).toISOString()));
    t += 4 * hour;
  }
  return events.slice(0, size);
}

const events = history();

// apply: one call per event, as the workflow's validator and handler do.
let snapshot = start(config, { caseId: 'c_bench', caseworker: CW, openedAt: T0 });
const applyStart = performance.now();
for (const e of events.slice(1)) {
  const r = apply(config, snapshot, e);
  if ('rejected' in r) throw new Error(r.rejected.rule);
  snapshot = r.snapshot;
}
const applyMs = performance.now() - applyStart;

// fold: a whole stored history, several rounds for a steadier figure.
const rounds = 5;
const foldStart = performance.now();
for (let i = 0; i < rounds; i++) {
  const r = fold(config, 'c_bench', events);
  if (!('snapshot' in r)) throw new Error(`fold broke at ${r.brokenAt}`);
}
const foldMs = (performance.now() - foldStart) / rounds;

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');
console.log(`history: ${events.length} events (fgc, ${promisesOf(snapshot.context).length} promises)`);
console.log(`apply:   ${rate(events.length - 1, applyMs)} events/s (${applyMs.toFixed(0)} ms)`);
console.log(
  `fold:    ${rate(events.length, foldMs)} events/s (${foldMs.toFixed(0)} ms per 10k history; target >= 40,000)`,
);
console.log(`memory:  ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB heap used`);
