import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface PersistenceOptions {
  /**
   * `postgres://…` or `postgresql://…` → PostgreSQL. Anything else names a SQLite file: a path,
   * `sqlite:<path>`, `file:<path>` or `:memory:`. Unset → `sqlitePath`.
   */
  url?: string;
  /** SQLite file when `url` is unset; default `.data/neuvo.sqlite` (its folder is created). */
  sqlitePath?: string;
  logging?: boolean;
}

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };

export const DEFAULT_SQLITE_PATH = '.data/neuvo.sqlite';

/** The contract's settings: `DATABASE_URL` unset means SQLite at `.data/neuvo.sqlite`. */
export function persistenceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PersistenceOptions {
  return { url: env.DATABASE_URL || undefined, logging: env.NEUVO_SQL_LOG === 'true' };
}

export function resolveDatabase(options: PersistenceOptions = {}): DatabaseTarget {
  const url = options.url?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (url) {
    const path = url.replace(/^(sqlite|file):(\/\/)?/i, '');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      throw new Error(
        `unsupported database URL scheme in ${url.split('://')[0]}://…; use postgres:// or a SQLite path`,
      );
    }
    return { kind: 'sqlite', path };
  }
  return { kind: 'sqlite', path: options.sqlitePath ?? DEFAULT_SQLITE_PATH };
}

/** TypeORM options for either database: the same entities and migrations, never `synchronize`. */
export function dataSourceOptions(options: PersistenceOptions = {}): DataSourceOptions {
  const target = resolveDatabase(options);
  const common = {
    entities: [...ENTITIES],
    migrations: [...MIGRATIONS],
    migrationsRun: true,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: options.logging ?? false,
  };
  if (target.kind === 'postgres') {
    return { ...common, type: 'postgres', url: target.url, applicationName: 'neuvo' };
  }
  const memory = target.path === ':memory:';
  const database = memory ? target.path : resolve(target.path);
  if (!memory) mkdirSync(dirname(database), { recursive: true });
  // WAL lets the API read while the worker writes (two processes, one file); busy waits up to 5 s.
  return { ...common, type: 'better-sqlite3', database, enableWAL: !memory, timeout: 5_000 };
}

/** A data source for either database, not yet initialized (initializing it runs pending migrations). */
export function createDataSource(options: PersistenceOptions = {}): DataSource {
  return new DataSource(dataSourceOptions(options));
}

/**
 * Creates, connects and migrates. Safe when the API and the worker start together on an empty database:
 * on PostgreSQL the migration run holds an advisory lock; on SQLite a losing racer retries.
 */
export async function initDataSource(options: PersistenceOptions = {}): Promise<DataSource> {
  return initializeMigrated(() => createDataSource(options));
}

/** Initializes data sources from `make` (one per attempt) under the migration lock; see initDataSource. */
export async function initializeMigrated(make: () => DataSource): Promise<DataSource> {
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    const dataSource = make();
    try {
      if (isPostgres(dataSource)) return await withMigrationLock(dataSource, () => dataSource.initialize());
      return await dataSource.initialize();
    } catch (error) {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
      if (isPostgres(dataSource) || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

/** Any number: it only has to be the same in every Neuvo process. */
const MIGRATION_LOCK_KEY = 7_263_900_001;

async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const options = dataSource.options as { url?: string };
  const client = new Client({ connectionString: options.url, application_name: 'neuvo-migrations' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

export function isPostgres(source: DataSource | EntityManager): boolean {
  const dataSource = source instanceof DataSource ? source : source.dataSource;
  return dataSource.options.type === 'postgres';
}
