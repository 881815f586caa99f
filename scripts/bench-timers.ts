/**
 * Timer lag on the dev server: N cases (BENCH_CASES, default 500) of network-meeting, each with one
 * promise per participant due somewhere in the next 60 s. Prints p50/p99 of the lag between a promise's
 * due time and the time its reminder was recorded in the audit log. Target: p99 < 2 s.
 */
import { builtInVariant } from '../libs/process/src';
import { devServerStack } from '../test/support/temporal-stack';

const cases = Number(process.env.BENCH_CASES ?? 500);
const spreadMs = 60_000;
const concurrency = 25;

/** Runs `work` for 0..n-1 with a bounded number in flight; results in index order. */
async function pool<T>(n: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) results[i] = await work(i);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

async function main() {
  const stack = await devServerStack();
  const config = builtInVariant('network-meeting');
  const participants = [
    { id: 'mother', name: 'Bench Mother', relation: 'mother', side: 'family' as const },
    { id: 'coach', name: 'Bench Coach', relation: 'coach', side: 'professional' as const },
  ];
  const due = new Map<string, string>();
  const setupStart = Date.now();
  try {
    // Phase 1: open the cases up to their first meeting, and learn how fast this machine takes commands.
    const handles = await pool(cases, async (i) => {
      const c = await stack.open(`c_bench_${i}`, config);
      await c.send('participants.mapped', { participants });
      await c.send('meeting.scheduled', { at: new Date(Date.now() + 3_600_000).toISOString(), place: 'Office' });
      return c;
    });
    const perCaseMs = (Date.now() - setupStart) / cases;
    // Phase 2: hold the meetings; every promise falls due in the minute after the last meeting is held,
    // so the lag is measured on a quiet machine, as a worker in steady state would see it.
    const base = Date.now() + Math.ceil(perCaseMs * cases * 0.6) + 5_000;
    await pool(cases, async (i) => {
      const dueAt = new Date(Math.max(base + Math.floor(((i + 0.5) / cases) * spreadMs), Date.now() + 2_000)).toISOString();
      await handles[i]!.send('meeting.held', {
        attendees: ['mother', 'coach'],
        reviews: [],
        newPromises: participants.map((p) => ({ what: 'one thing', owner: p.id, verifier: 'cw1', dueAt })),
        nextMeetingAt: new Date(base + 30 * 86_400_000).toISOString(),
      });
      due.set(`c_bench_${i}`, dueAt);
    });
    const setupMs = Date.now() - setupStart;
    if (Date.now() > base) console.warn(`meetings were still being held at ${Date.now() - base} ms past the first due time`);
    // Wait for the last promise, then for its reminders to be written.
    const last = base + spreadMs;
    console.log(`setup: ${cases} cases, ${cases * 4} commands in ${setupMs} ms (${((cases * 4 * 1000) / setupMs).toFixed(0)} commands/s)`);
    const expected = cases * 2;
    let rows: { case_id: string; at: string; payload: string }[] = [];
    while (Date.now() < last + 30_000) {
      rows = await stack.db.query("SELECT case_id, at, payload FROM audit_entries WHERE type = 'reminder.sent' AND payload LIKE '%promiseId%'");
      if (rows.length >= expected && Date.now() > last) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const lags = rows.map((r) => Date.parse(r.at) - Date.parse(due.get(r.case_id)!)).sort((a, b) => a - b);
    const pct = (p: number) => lags[Math.min(lags.length - 1, Math.ceil((p / 100) * lags.length) - 1)] ?? NaN;
    console.log(`cases: ${cases}, promises: ${expected}, reminders recorded: ${rows.length}`);
    console.log(`timer lag (recorded reminder at - dueAt): p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${lags.at(-1)} ms (target p99 < 2000 ms)`);
    if (rows.length < expected) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
