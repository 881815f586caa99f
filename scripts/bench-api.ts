/**
 * `npm run bench:api`: latency of `POST /cases/:id/events` against a raw Temporal Update round trip to a
 * no-op workflow, measured in the same run on the dev server, alternating one of each. Also shows the
 * same event sent as a raw Update to the case workflow, which splits the API's cost (HTTP, token, policy,
 * database) from the case workflow's (audit append and projection as local activities).
 * A third yardstick is the no-op Update running one empty local activity: the least an Update costs that
 * writes before it answers, as the case workflow must (architecture.md: the caller reads its own write).
 * Targets: p50 ≤ 1.3× and p99 ≤ 2× the no-op round trip. BENCH_N (default 300) samples per kind;
 * DATABASE_URL=postgres://… benchmarks on PostgreSQL instead of a temporary SQLite file.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { signDevToken } from '../apps/api/src/auth/dev-token';
import { createApiApp } from '../apps/api/src/create-app';
import { settingsFromEnv } from '../apps/api/src/settings';
import { createCaseWorker } from '../apps/worker/src/create-worker';
import { createWorkerContext } from '../apps/worker/src/worker.module';
import { dataConverterOf, searchAttributeFlags, workflowIdOf } from '../libs/temporal/src';
import { freePort, startDevServer } from '../libs/temporal/src/binaries';
import { applyEventUpdate } from '../workflows/definitions';
import {
  noopUpdate,
  noopWithLocalActivityUpdate,
  noopWorkflow,
  type NoopActivities,
} from '../test/support/noop.workflow';
import { agreement } from '../test/support/scenarios';
import { tempDatabase, workflowBundle } from '../test/support/temporal-stack';

const N = Number(process.env.BENCH_N ?? 300);
const WARMUP = 30;
const NOOP_QUEUE = 'neuvo-bench-noop';
const SECRET = 'neuvo-bench-secret-0123456789abcdef0123456789';

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
interface Stats {
  p50: number;
  p99: number;
}
const stats = (samples: number[]): Stats => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
};
const ms = (n: number) => `${n.toFixed(2)} ms`.padStart(10);

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  const file = tempDatabase();
  const databaseUrl = process.env.DATABASE_URL || file.sqlitePath;
  const server = await startDevServer({ extraArgs: searchAttributeFlags() });
  const stops: (() => Promise<unknown>)[] = [async () => file.remove(), () => server.stop()];
  try {
    const settings = {
      ...settingsFromEnv({ NODE_ENV: 'test' }),
      databaseUrl,
      temporal: { address: server.address, namespace: 'default' },
      auth: { hs256Secret: SECRET, usingDevSecret: false },
    };
    const app = await createApiApp({ settings, logger: ['error', 'warn'] });
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    stops.push(() => app.close());

    const context = await createWorkerContext({ url: databaseUrl });
    const native = await NativeConnection.connect({ address: server.address });
    const caseWorker = await createCaseWorker({
      connection: native,
      activities: context.activities,
      workflowBundle: await workflowBundle(),
    });
    const noopWorker = await Worker.create({
      connection: native,
      taskQueue: NOOP_QUEUE,
      activities: { nothing: async () => null } satisfies NoopActivities,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('../test/support/noop.workflow'),
        logger: silent,
      }),
      dataConverter: dataConverterOf(),
    });
    const running = [caseWorker.run(), noopWorker.run()];
    stops.push(async () => {
      caseWorker.shutdown();
      noopWorker.shutdown();
      await Promise.all(running);
      await native.close();
      await context.close();
    });

    const connection = await Connection.connect({ address: server.address });
    stops.push(() => connection.close());
    const client = new Client({ connection, dataConverter: dataConverterOf() });

    // A case in preparation where the assigned coordinator may reschedule the conference again and again.
    const base = `http://127.0.0.1:${port}`;
    const cw = await signDevToken({ sub: 'cw1', roles: ['caseworker'], unit: 'north' }, SECRET);
    const co = await signDevToken({ sub: 'co1', roles: ['coordinator'], unit: 'south' }, SECRET);
    const post = async (path: string, token: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${text}`);
      return JSON.parse(text) as { id: string };
    };
    const { id } = await post('/cases', cw, { variant: 'fgc' });
    await post(`/cases/${id}/events`, cw, { type: 'agreement.recorded', ...agreement });
    await post(`/cases/${id}/events`, cw, {
      type: 'coordinator.assigned',
      coordinatorId: 'co1',
      unit: 'south',
    });
    const reschedule = (i: number) => ({
      type: 'meeting.scheduled',
      at: new Date(Date.now() + 86_400_000 + i * 1000).toISOString(),
      place: `Room ${i}`,
    });

    const noop = await client.workflow.start(noopWorkflow, {
      taskQueue: NOOP_QUEUE,
      workflowId: `bench-noop-${Date.now()}`,
    });
    const caseHandle = client.workflow.getHandle(workflowIdOf(id));

    const samples = {
      api: [] as number[],
      noop: [] as number[],
      floor: [] as number[],
      direct: [] as number[],
    };
    for (let i = 0; i < WARMUP + N; i++) {
      const { type, ...payload } = reschedule(i);
      const api = await timed(() => post(`/cases/${id}/events`, co, { type, ...payload }));
      const raw = await timed(() =>
        noop.executeUpdate(noopUpdate, {
          args: [{ type, payload, actor: { sub: 'co1', role: 'coordinator' } }],
        }),
      );
      const floor = await timed(() =>
        noop.executeUpdate(noopWithLocalActivityUpdate, {
          args: [{ type, payload, actor: { sub: 'co1', role: 'coordinator' } }],
        }),
      );
      const { type: _type, ...again } = reschedule(i + 0.5);
      const direct = await timed(() =>
        caseHandle.executeUpdate(applyEventUpdate, {
          args: [{ type, payload: again, actor: { sub: 'co1', role: 'coordinator' } }],
        }),
      );
      if (i < WARMUP) continue;
      samples.api.push(api);
      samples.noop.push(raw);
      samples.floor.push(floor);
      samples.direct.push(direct);
    }

    const [api, raw, floor, direct] = [samples.api, samples.noop, samples.floor, samples.direct].map(
      stats,
    ) as [Stats, Stats, Stats, Stats];
    const database = databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';
    console.log(
      `\nPOST /cases/:id/events vs a raw Temporal Update, ${N} samples each (${database}, dev server)\n`,
    );
    console.log(`${''.padEnd(44)}${'p50'.padStart(10)}${'p99'.padStart(10)}`);
    console.log(`${'raw Update to a no-op workflow'.padEnd(44)}${ms(raw.p50)}${ms(raw.p99)}`);
    console.log(
      `${'  the same, running one empty local activity'.padEnd(44)}${ms(floor.p50)}${ms(floor.p99)}`,
    );
    console.log(
      `${'raw applyEvent Update to the case workflow'.padEnd(44)}${ms(direct.p50)}${ms(direct.p99)}`,
    );
    console.log(`${'POST /cases/:id/events (HTTP, full API)'.padEnd(44)}${ms(api.p50)}${ms(api.p99)}`);
    const p50 = api.p50 / raw.p50;
    const p99 = api.p99 / raw.p99;
    console.log(
      `\nratio API / no-op: p50 ${p50.toFixed(2)}× (target ≤ 1.3×: ${p50 <= 1.3 ? 'met' : 'missed'}), p99 ${p99.toFixed(2)}× (target ≤ 2×: ${p99 <= 2 ? 'met' : 'missed'})`,
    );
    console.log(
      `ratio API / case Update: p50 ${(api.p50 / direct.p50).toFixed(2)}×, p99 ${(api.p99 / direct.p99).toFixed(2)}× (the API's own share)`,
    );
    console.log(
      `ratio one empty local activity / no-op: p50 ${(floor.p50 / raw.p50).toFixed(2)}×, p99 ${(floor.p99 / raw.p99).toFixed(2)}× (the floor of an Update that writes before it answers)`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

const silent = {
  log() {},
  info() {},
  debug() {},
  trace() {},
  warn: console.warn,
  error: console.error,
} as never;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
