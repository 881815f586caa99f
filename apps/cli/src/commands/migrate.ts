import type { Command } from 'commander';
import { initDataSource, persistenceOptionsFromEnv, resolveDatabase } from '../../../../libs/persistence/src';

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('run pending database migrations (DATABASE_URL; default SQLite at .data/neuvo.sqlite)')
    .action(async () => {
      const options = persistenceOptionsFromEnv();
      const db = await initDataSource(options);
      const target = resolveDatabase(options);
      await db.destroy();
      process.stdout.write(
        `database is up to date (${target.kind === 'postgres' ? 'PostgreSQL' : `SQLite ${target.path}`})\n`,
      );
    });
}
