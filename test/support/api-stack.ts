/**
 * The whole system for HTTP tests: `temporal server start-dev` (with Neuvo's search attributes), a case
 * worker with real activities, and the API from `createApiApp` on a free port, all on one database:
 * a temporary SQLite file, or a fresh PostgreSQL database when TEST_POSTGRES_URL (or DATABASE_URL_PG)
 * is set. Suites run once per available database with `describe.each(testDatabases())`.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/create-app';
import { signDevToken } from '../../apps/api/src/auth/dev-token';
import { settingsFromEnv, type ApiSettings } from '../../apps/api/src/settings';
import { createCaseWorker } from '../../apps/worker/src/create-worker';
import { createWorkerContext, type WorkerContext } from '../../apps/worker/src/worker.module';
import type { Role } from '../../libs/contracts/src';
import { dataSourceOptions } from '../../libs/persistence/src';
import { dataConverterOf, searchAttributeFlags } from '../../libs/temporal/src';
import { freePort, startDevServer, type DevServer } from '../../libs/temporal/src/binaries';
import { tempDatabase, workflowBundle } from './temporal-stack';

export const TEST_JWT_SECRET = 'neuvo-e2e-secret-0123456789abcdef0123456789';

// ---------------------------------------------------------------------------------------------------------
// Databases

export interface TestDatabase {
  name: 'SQLite' | 'PostgreSQL';
  /** A new, empty database for one stack. */
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const sqliteDatabase: TestDatabase = {
  name: 'SQLite',
  async create() {
    const file = tempDatabase();
    return { url: file.sqlitePath, drop: async () => file.remove() };
  },
};

function postgresDatabase(baseUrl: string): TestDatabase {
  const admin = async (sql: string) => {
    const client = new PgClient({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'PostgreSQL',
    async create() {
      const name = `neuvo_e2e_${randomBytes(6).toString('hex')}`;
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
    },
  };
}

const postgresUrl = process.env.TEST_POSTGRES_URL || process.env.DATABASE_URL_PG;

/** SQLite always; PostgreSQL too when a server is given. */
export function testDatabases(): TestDatabase[] {
  return [sqliteDatabase, ...(postgresUrl ? [postgresDatabase(postgresUrl)] : [])];
}

/** In CI both databases must run: a missing PostgreSQL fails a test instead of passing silently. */
export function requirePostgresInCi(): void {
  if (postgresUrl) return;
  if (process.env.CI) {
    test('CI provides PostgreSQL through TEST_POSTGRES_URL', () => {
      throw new Error('TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL with scripts/ci-postgres');
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Users and HTTP

export interface TestUser {
  sub: string;
  roles: Role[];
  unit: string;
}

/** The cast of the tests: cw1 opens cases in unit north; co1 (south) and co2 (east) are assigned by them. */
export const users = {
  cw1: { sub: 'cw1', roles: ['caseworker'], unit: 'north' },
  cw2: { sub: 'cw2', roles: ['caseworker'], unit: 'north' },
  co1: { sub: 'co1', roles: ['coordinator'], unit: 'south' },
  co2: { sub: 'co2', roles: ['coordinator'], unit: 'east' },
  co3: { sub: 'co3', roles: ['coordinator'], unit: 'west' },
  supNorth: { sub: 'sup1', roles: ['supervisor'], unit: 'north' },
  supSouth: { sub: 'sup2', roles: ['supervisor'], unit: 'south' },
  auditor: { sub: 'aud1', roles: ['auditor'], unit: 'audit' },
  admin: { sub: 'adm1', roles: ['admin'], unit: 'it' },
} satisfies Record<string, TestUser>;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  /** A user (a token is signed for them), a raw token, or nobody. */
  as?: TestUser | string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (for malformed bodies). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export function httpClient(baseUrl: string, secret = TEST_JWT_SECRET) {
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (user: TestUser) => {
    const key = JSON.stringify(user);
    if (!tokens.has(key)) tokens.set(key, signDevToken(user, secret, 3600));
    return tokens.get(key)!;
  };
  return async function request(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as !== undefined)
      headers.authorization = `Bearer ${typeof options.as === 'string' ? options.as : await tokenOf(options.as)}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
}

export type Request = ReturnType<typeof httpClient>;

// ---------------------------------------------------------------------------------------------------------
// The stack

export interface ApiStack {
  database: TestDatabase['name'];
  databaseUrl: string;
  baseUrl: string;
  request: Request;
  /** Reads the database directly, for assertions. */
  db: DataSource;
  /** A plain Temporal client on the same server. */
  client: Client;
  server: DevServer;
  settings: ApiSettings;
  /** Another API on the same database, with other settings (a dead Temporal address, say). */
  startApi(
    overrides: Partial<ApiSettings>,
  ): Promise<{ baseUrl: string; request: Request; close(): Promise<void> }>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function apiStack(database: TestDatabase): Promise<ApiStack> {
  /** What has been started, stopped in reverse order (also when start-up fails half way). */
  const started: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of started.splice(0).reverse())
      await stop().catch((e: unknown) => console.warn(`api-stack: ${String(e)}`));
  };
  try {
    const { url: databaseUrl, drop } = await database.create();
    started.push(drop);
    const server = await startDevServer({ extraArgs: searchAttributeFlags() });
    started.push(() => server.stop());
    const settings: ApiSettings = {
      ...settingsFromEnv({ NODE_ENV: 'test' }),
      databaseUrl,
      temporal: { address: server.address, namespace: 'default' },
      auth: { hs256Secret: TEST_JWT_SECRET, usingDevSecret: false },
    };

    let worker:
      | { worker: Worker; running: Promise<void>; context: WorkerContext; native: NativeConnection }
      | undefined;
    const startWorker = async () => {
      const context = await createWorkerContext({ url: databaseUrl });
      const native = await NativeConnection.connect({ address: server.address });
      const w = await createCaseWorker({
        connection: native,
        activities: context.activities,
        workflowBundle: await workflowBundle(),
      });
      worker = { worker: w, running: w.run(), context, native };
    };
    const stopWorker = async () => {
      if (!worker) return;
      const current = worker;
      worker = undefined;
      current.worker.shutdown();
      await current.running;
      await current.native.close();
      await current.context.close();
    };
    started.push(stopWorker);

    const startApi = async (overrides: Partial<ApiSettings>) => {
      const app = await createApiApp({ settings: { ...settings, ...overrides }, logger: ['error', 'warn'] });
      let closed = false;
      const close = async () => {
        if (!closed) await app.close();
        closed = true;
      };
      started.push(close);
      const port = await freePort();
      await app.listen(port, '127.0.0.1');
      const baseUrl = `http://127.0.0.1:${port}`;
      return { baseUrl, request: httpClient(baseUrl), close };
    };

    // The API first: its start-up runs the migrations.
    const main = await startApi({});
    await startWorker();
    const options = dataSourceOptions({ url: databaseUrl });
    const db = await new DataSource({ ...options, migrationsRun: false } as typeof options).initialize();
    started.push(() => db.destroy());
    const connection = await Connection.connect({ address: server.address });
    started.push(() => connection.close());
    const client = new Client({ connection, dataConverter: dataConverterOf() });

    return {
      database: database.name,
      databaseUrl,
      baseUrl: main.baseUrl,
      request: main.request,
      db,
      client,
      server,
      settings,
      startApi,
      startWorker,
      stopWorker,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Polls `read` until `done` holds or `timeoutMs` passes; returns the last value either way. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
