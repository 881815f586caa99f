import 'reflect-metadata';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ErrorFilter } from './errors/error.filter';
import { serveDocs } from './openapi/openapi';
import { settingsFromEnv, type ApiSettings } from './settings';

export interface ApiAppOptions {
  /** Checked settings; read from the environment when omitted. */
  settings?: ApiSettings;
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * The API as a Nest application, ready to `listen`: global error filter, auth guard and validation pipe,
 * docs at /docs and /docs-json. Used by main.ts, the tests and the benchmark alike. Pending migrations run
 * while it is created.
 */
export async function createApiApp(options: ApiAppOptions = {}): Promise<NestExpressApplication> {
  const settings = options.settings ?? settingsFromEnv();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(settings), {
    logger: options.logger ?? ['error', 'warn', 'log'],
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.useGlobalFilters(new ErrorFilter());
  serveDocs(app);
  return app;
}
