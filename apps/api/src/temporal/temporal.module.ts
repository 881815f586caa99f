import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { dataConverterOf } from '../../../../libs/temporal/src';
import type { ApiSettings } from '../settings';
import { API_SETTINGS } from '../settings.module';
import { TEMPORAL_CLIENT } from '../audit/temporal-client.token';
import { CaseCommands } from './commands';

/**
 * The Temporal client of the API, injectable as `Client` (and its `Connection`). The connection is lazy,
 * so the API starts and answers /health while Temporal is down; a call made meanwhile fails after a few
 * quick retries and is answered 503 by the error filter. `CaseCommands` are the API's writes to cases.
 */
@Global()
@Module({
  providers: [
    {
      provide: Connection,
      inject: [API_SETTINGS],
      useFactory: (settings: ApiSettings) =>
        Connection.lazy({
          address: settings.temporal.address,
          // About 3 s of retries: long enough for a blip, short enough to answer 503 while Temporal is down.
          interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 6 }))],
        }),
    },
    {
      provide: Client,
      inject: [Connection, API_SETTINGS],
      useFactory: (connection: Connection, settings: ApiSettings) =>
        new Client({ connection, namespace: settings.temporal.namespace, dataConverter: dataConverterOf() }),
    },
    // The audit module asks for the client under its own token.
    { provide: TEMPORAL_CLIENT, useExisting: Client },
    CaseCommands,
  ],
  exports: [Connection, Client, TEMPORAL_CLIENT, CaseCommands],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(Connection) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
