import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  Connection,
  WorkflowUpdateFailedError,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createCaseWorker } from '../../apps/worker/src/create-worker';
import { createWorkerContext, type WorkerContext } from '../../apps/worker/src/worker.module';
import type { CaseActivities } from '../../activities/contracts';
import type { Actor, CaseView } from '../../libs/contracts/src';
import { dataSourceOptions } from '../../libs/persistence/src';
import type { VariantConfig } from '../../libs/process/src';
import { dataConverterOf, searchAttributeFlags, TASK_QUEUE, workflowIdOf } from '../../libs/temporal/src';
import { startDevServer, temporalBinaries } from '../../libs/temporal/src/binaries';
import { caseWorkflow } from '../../workflows';
import {
  applyEventUpdate,
  snapshotQuery,
  viewQuery,
  type CaseWorkflowInput,
} from '../../workflows/definitions';

// Workers log their state changes at INFO; tests want warnings and errors only.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}

const quiet = { log() {}, info() {}, debug() {}, trace() {}, warn: console.warn, error: console.error };

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (webpack takes a few seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: quiet as never,
  });
  return bundle;
}

/** A temp SQLite database for one test file, with a reader for assertions. */
export function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'neuvo-wf-'));
  const sqlitePath = join(dir, 'neuvo.sqlite');
  return { sqlitePath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Stack {
  client: Client;
  worker: Worker;
  context: WorkerContext;
  db: DataSource;
  /** Time-skipping only: moves the server's clock. */
  env?: TestWorkflowEnvironment;
  now(): Promise<number>;
  open(caseId: string, config: VariantConfig, extra?: Partial<CaseWorkflowInput>): Promise<CaseHandle>;
  stop(): Promise<void>;
}

export interface CaseHandle {
  handle: WorkflowHandleWithFirstExecutionRunId<typeof caseWorkflow>;
  send(type: string, payload: unknown, actor?: Actor): Promise<CaseView>;
  view(): Promise<CaseView>;
}

const caseworker: Actor = { sub: 'cw1', role: 'caseworker' };

function openWith(client: Client, indexed = false) {
  return async (
    caseId: string,
    config: VariantConfig,
    extra: Partial<CaseWorkflowInput> = {},
  ): Promise<CaseHandle> => {
    const handle = await client.workflow.start(caseWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: workflowIdOf(caseId),
      args: [{ caseId, config, opening: { caseworker: { sub: 'cw1', unit: 'north' } }, indexed, ...extra }],
    });
    return {
      handle,
      send: (type, payload, actor = caseworker) =>
        handle.executeUpdate(applyEventUpdate, { args: [{ type, payload, actor }] }),
      view: () => handle.query(viewQuery),
    };
  };
}

async function readerOf(sqlitePath: string): Promise<DataSource> {
  const options = dataSourceOptions({ sqlitePath });
  const db = new DataSource({ ...options, migrationsRun: false } as typeof options);
  return db.initialize();
}

/**
 * The time-skipping test server, a real worker with real activities on a temp SQLite database.
 * `activities` may wrap them, to hold one back or make it fail.
 */
export async function timeSkippingStack(
  options: { activities?: (real: CaseActivities) => CaseActivities } = {},
): Promise<Stack & { env: TestWorkflowEnvironment }> {
  const database = tempDatabase();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalBinaries().testServer } },
    client: { dataConverter: dataConverterOf() },
  });
  const context = await createWorkerContext({ sqlitePath: database.sqlitePath });
  const worker = await createCaseWorker({
    connection: env.nativeConnection,
    activities: options.activities ? options.activities(context.activities) : context.activities,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const db = await readerOf(database.sqlitePath);
  return {
    env,
    client: env.client,
    worker,
    context,
    db,
    now: () => env.currentTimeMs(),
    open: openWith(env.client),
    stop: async () => {
      worker.shutdown();
      await running;
      await db.destroy();
      await context.close();
      await env.teardown();
      database.remove();
    },
  };
}

/** The dev server (`temporal server start-dev`), with a worker that a test may stop and start again. */
export async function devServerStack(database = tempDatabase()) {
  const server = await startDevServer({ extraArgs: searchAttributeFlags() });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter: dataConverterOf() });
  const db = await (async () => {
    const context = await createWorkerContext({ sqlitePath: database.sqlitePath });
    await context.close();
    return readerOf(database.sqlitePath);
  })();
  let current:
    { worker: Worker; running: Promise<void>; context: WorkerContext; native: NativeConnection } | undefined;

  const startWorker = async () => {
    const context = await createWorkerContext({ sqlitePath: database.sqlitePath });
    const native = await NativeConnection.connect({ address: server.address });
    const worker = await createCaseWorker({
      connection: native,
      activities: context.activities,
      workflowBundle: await workflowBundle(),
    });
    current = { worker, running: worker.run(), context, native };
  };
  const stopWorker = async () => {
    if (!current) return;
    current.worker.shutdown();
    await current.running;
    await current.native.close();
    await current.context.close();
    current = undefined;
  };
  await startWorker();
  return {
    server,
    client,
    db,
    startWorker,
    stopWorker,
    open: openWith(client, true),
    now: async () => Date.now(),
    stop: async () => {
      await stopWorker();
      await db.destroy();
      await connection.close();
      await server.stop();
      database.remove();
    },
  };
}

/** The failure an Update carries when the process refuses an event, or undefined when it was accepted. */
export async function refusal(
  promise: Promise<unknown>,
): Promise<{ type?: string; details: Record<string, unknown> } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    const cause = error.cause as { type?: string; details?: unknown[] } | undefined;
    return { type: cause?.type, details: (cause?.details?.[0] ?? {}) as Record<string, unknown> };
  }
}

export { snapshotQuery, viewQuery };
