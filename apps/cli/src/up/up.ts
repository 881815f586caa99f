import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createApiApp } from '../../../api/src/create-app';
import { DEV_JWT_SECRET, signDevToken } from '../../../api/src/auth/dev-token';
import { logLevelsFrom, settingsFromEnv, SettingsError } from '../../../api/src/settings';
import { createCaseWorker } from '../../../worker/src/create-worker';
import { createWorkerContext } from '../../../worker/src/worker.module';
import { persistenceOptionsFromEnv } from '../../../../libs/persistence/src';
import { CliFailure } from '../failure';
import { demoUsers, seedDemo } from '../demo';
import { ensureFree } from './ports';
import { startTemporal } from './temporal-server';

const prefix = (name: string) => (line: string) => process.stdout.write(`[${name}] ${line}\n`);

/**
 * `neuvo up` (what `npm start` runs): the Temporal dev server with its data in .data/temporal.db, the
 * worker and the API, in the foreground. Waits until each is healthy, seeds the demo on an empty
 * database, prints where everything is; Ctrl-C stops all of it.
 */
export async function up(options: { demo: boolean }): Promise<void> {
  let settings;
  try {
    settings = settingsFromEnv();
  } catch (error) {
    throw new CliFailure(error instanceof SettingsError ? error.message : String(error));
  }
  const [host, portText] = settings.temporal.address.split(':');
  const temporalPort = Number(portText);
  const uiPort = settings.temporalUiPort;
  await ensureFree(settings.port, '0.0.0.0', 'PORT');
  await ensureFree(temporalPort, host!, 'TEMPORAL_ADDRESS');
  await ensureFree(uiPort, host!, 'NEUVO_TEMPORAL_UI_PORT');

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((e: unknown) => prefix('neuvo')(`while stopping: ${String(e)}`));
  };
  let stopping: Promise<void> | undefined;
  const onSignal = (signal: string) => {
    prefix('neuvo')(`${signal}: stopping`);
    stopping ??= stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));

  try {
    const dataDir = settings.dataDir;
    mkdirSync(dataDir, { recursive: true });
    prefix('neuvo')(`starting the Temporal dev server on ${settings.temporal.address}`);
    const temporal = await startTemporal({
      host: host!,
      port: temporalPort,
      uiPort,
      dbFile: join(dataDir, 'temporal.db'),
      log: prefix('temporal'),
    });
    stops.push(() => temporal.stop());

    prefix('neuvo')('starting the worker');
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => prefix('worker')(`${entry.level} ${entry.message}`)),
    });
    const context = await createWorkerContext(persistenceOptionsFromEnv());
    stops.push(() => context.close());
    const connection = await NativeConnection.connect({ address: settings.temporal.address });
    stops.push(() => connection.close());
    const worker = await createCaseWorker({
      connection,
      namespace: settings.temporal.namespace,
      activities: context.activities,
    });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
    });

    prefix('neuvo')(`starting the API on port ${settings.port}`);
    const api = await createApiApp({
      settings,
      logger: logLevelsFrom(settings.logLevel === 'log' ? 'warn' : settings.logLevel),
    });
    await api.listen(settings.port, '0.0.0.0');
    stops.push(() => api.close());
    const url = `http://localhost:${settings.port}`;
    const health = await (await fetch(`${url}/health`)).json();
    prefix('neuvo')(`health: ${JSON.stringify(health)}`);

    if (options.demo && (await isEmpty(url))) {
      prefix('neuvo')('empty database: seeding demo cases');
      await seedDemo(url, prefix('demo'));
    }

    const secret = process.env.NEUVO_JWT_SECRET || DEV_JWT_SECRET;
    const tokens = await Promise.all(
      demoUsers.map(
        async (u) =>
          `  ${u.sub.padEnd(5)} ${u.roles.join(',').padEnd(12)} ${u.unit.padEnd(8)} ${await signDevToken(u, secret)}`,
      ),
    );
    process.stdout.write(
      [
        '',
        'Neuvo is up.',
        `  API          ${url}   (health: ${url}/health)`,
        `  Swagger UI   ${url}/docs`,
        `  Temporal UI  http://localhost:${uiPort}`,
        'Development tokens (8 h):',
        ...tokens,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function isEmpty(url: string): Promise<boolean> {
  const u = demoUsers.find((x) => x.sub === 'aud1')!;
  const token = await signDevToken(u, process.env.NEUVO_JWT_SECRET || DEV_JWT_SECRET);
  const page = (await (
    await fetch(`${url}/cases?limit=1`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { items?: unknown[] };
  return (page.items ?? []).length === 0;
}
