import type { DataSource, EntityManager } from 'typeorm';
import { isPostgres } from './data-source';

/** Per data source, the tail of the queue of SQLite transactions. */
const sqliteQueues = new WeakMap<DataSource, Promise<void>>();

/**
 * Runs `work` in a transaction. On PostgreSQL each transaction has its own pooled connection. A SQLite
 * data source has exactly one connection, and TypeORM turns a second concurrent `transaction()` into a
 * SAVEPOINT inside the first (their statements interleave and commit or roll back together), so here
 * transactions of one data source take turns. Every write on SQLite should go through this function:
 * a bare write made while another caller's transaction is open becomes part of that transaction.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (isPostgres(dataSource)) return dataSource.transaction(work);
  const before = sqliteQueues.get(dataSource) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  sqliteQueues.set(
    dataSource,
    before.then(() => mine),
  );
  await before;
  try {
    return await dataSource.transaction(work);
  } finally {
    release();
  }
}

/**
 * One write statement, atomic by itself: on PostgreSQL without BEGIN and COMMIT around it (two round trips
 * fewer), on SQLite in its turn with the transactions of `inTransaction`.
 */
export async function writeStatement<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (isPostgres(dataSource)) return work(dataSource.manager);
  return inTransaction(dataSource, work);
}

/**
 * A statement with `:name` parameters, run with the driver's placeholders (`?` or `$1`). For SQL the
 * query builder cannot express on both databases, such as a conditional upsert.
 */
export async function rawQuery<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<T[]> {
  const [query, values] = manager.dataSource.driver.escapeQueryWithParameters(sql, parameters);
  const result: unknown = await manager.query(query, values);
  return Array.isArray(result) ? (result as T[]) : [];
}
