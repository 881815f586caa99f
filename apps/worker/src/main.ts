/** `node dist/apps/worker/src/main.js` / `tsx apps/worker/src/main.ts`: runs the case worker until SIGTERM or SIGINT. */
import 'reflect-metadata';
import { NativeConnection } from '@temporalio/worker';
import { persistenceOptionsFromEnv } from '../../../libs/persistence/src';
import { temporalSettingsFromEnv } from '../../../libs/temporal/src';
import { settingsFromEnv } from '../../api/src/settings';
import { createCaseWorker } from './create-worker';
import { createWorkerContext } from './worker.module';

export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // The one settings module checks every variable first: a bad value stops start-up naming it.
  settingsFromEnv(env);
  const settings = temporalSettingsFromEnv(env);
  const context = await createWorkerContext(persistenceOptionsFromEnv(env));
  const connection = await NativeConnection.connect({ address: settings.address });
  const worker = await createCaseWorker({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities: context.activities,
  });
  // Graceful: stop polling, let running tasks finish, then close the database.
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await worker.run();
  } finally {
    await connection.close();
    await context.close();
  }
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    console.error(`worker stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
