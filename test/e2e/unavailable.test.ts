/** 503 `unavailable`: Temporal unreachable, or the database refusing work; nothing is accepted or kept. */
import Database from 'better-sqlite3';
import { Client as PgClient } from 'pg';
import { IdempotencyKeyRow } from '../../libs/persistence/src';
import { freePort } from '../../libs/temporal/src/binaries';
import {
  apiStack,
  eventually,
  requirePostgresInCi,
  testDatabases,
  users,
  type ApiStack,
} from '../support/api-stack';
import { expectError, meeting, preparedCase, type Sender } from './contract-case';

jest.setTimeout(180_000);
requirePostgresInCi();

/**
 * Makes the database refuse work until the returned function is called. SQLite: another connection holds
 * the write lock (reads go on; writes time out as SQLITE_BUSY). PostgreSQL: the database takes no new
 * connections and its open ones are ended.
 */
async function blockDatabase(stack: ApiStack): Promise<() => Promise<void>> {
  if (stack.database === 'SQLite') {
    const holder = new Database(stack.databaseUrl);
    holder.exec('BEGIN IMMEDIATE');
    return async () => {
      holder.exec('ROLLBACK');
      holder.close();
    };
  }
  const name = new URL(stack.databaseUrl).pathname.slice(1);
  const admin = new PgClient({ connectionString: stack.databaseUrl });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${name} CONNECTION LIMIT 0`);
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name],
  );
  return async () => {
    await admin.query(`ALTER DATABASE ${name} CONNECTION LIMIT -1`);
    await admin.end();
  };
}

describe.each(testDatabases())('503 unavailable on $name', (database) => {
  let stack: ApiStack;
  let caseId: string;
  let send: Sender;
  let events: string;

  beforeAll(async () => {
    stack = await apiStack(database);
    ({ caseId, send } = await preparedCase(stack));
    events = `/cases/${caseId}/events`;
  });
  afterAll(() => stack?.stop());

  it('answers 503 when Temporal cannot be reached, keeps nothing for the key, and still serves reads', async () => {
    const dead = await stack.startApi({
      temporal: { address: `127.0.0.1:${await freePort()}`, namespace: 'default' },
    });
    const health = await dead.request('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.json).toEqual({ status: 'degraded', api: 'up', database: 'up', temporal: 'down' });

    expectError(
      await dead.request('POST', '/cases', { as: users.cw1, body: { variant: 'fgc' } }),
      503,
      'unavailable',
    );
    const body = meeting('Downtown');
    expectError(
      await dead.request('POST', events, {
        as: users.co1,
        body,
        headers: { 'Idempotency-Key': 'while-down' },
      }),
      503,
      'unavailable',
    );
    expect(await stack.db.getRepository(IdempotencyKeyRow).countBy({ caseId, key: 'while-down' })).toBe(0);
    // Nothing was kept, so the key is free for whatever the caller sends next.
    expect(
      (await send(users.co1, { ...body, place: 'Uptown' }, { 'Idempotency-Key': 'while-down' })).status,
    ).toBe(200);

    expect((await dead.request('GET', `/cases/${caseId}`, { as: users.cw1 })).status).toBe(200);
    await dead.close();
  });

  it('answers 503 when the database cannot be reached or written, keeps nothing, and recovers', async () => {
    const body = meeting('Basement');
    const unblock = await blockDatabase(stack);
    try {
      expectError(await stack.request('GET', `/cases/${caseId}`, { as: users.cw1 }), 503, 'unavailable');
      expectError(await send(users.co1, body, { 'Idempotency-Key': 'db-down' }), 503, 'unavailable');
    } finally {
      await unblock();
    }
    const again = await eventually(
      () => stack.request('GET', `/cases/${caseId}`, { as: users.cw1 }),
      (a) => a.status === 200,
      20_000,
    );
    expect(again.status).toBe(200);
    expect(
      (await send(users.co1, { ...body, place: 'Attic' }, { 'Idempotency-Key': 'db-down' })).status,
    ).toBe(200);
  });
});
