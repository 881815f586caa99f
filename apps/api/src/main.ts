/** `npm run start:api` (`tsx apps/api/src/main.ts`): the HTTP API on PORT until SIGTERM or SIGINT. */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApiApp } from './create-app';
import { logLevelsFrom, settingsFromEnv, SettingsError } from './settings';

export async function runApi(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = settingsFromEnv(env);
  const app = await createApiApp({ settings, logger: logLevelsFrom(settings.logLevel) });
  // Graceful: stop taking requests, let running ones finish, close Temporal and the database, exit 0.
  const stop = () =>
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await app.listen(settings.port);
  const logger = new Logger('Neuvo');
  logger.log(
    `API on http://localhost:${settings.port} (docs at /docs), Temporal ${settings.temporal.address}/${settings.temporal.namespace}`,
  );
  if (settings.auth.usingDevSecret)
    logger.warn('NEUVO_JWT_SECRET is unset: tokens are checked with the documented development secret');
}

if (require.main === module) {
  runApi().catch((error: unknown) => {
    const message =
      error instanceof SettingsError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    console.error(`api stopped: ${message}`);
    process.exit(1);
  });
}
