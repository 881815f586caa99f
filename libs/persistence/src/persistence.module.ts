import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  initializeMigrated,
  persistenceOptionsFromEnv,
  type PersistenceOptions,
} from './data-source';
import { ENTITIES } from './entities';

export interface PersistenceModuleOptions extends PersistenceOptions {
  /** Connection attempts at start-up (the database may still be starting); default 10, 3 s apart. */
  retryAttempts?: number;
  retryDelay?: number;
}

/**
 * The database for the worker and the API. Import `PersistenceModule.forRoot(options)` once, in the root
 * module: it is global, so `DataSource` (`@InjectDataSource()`) and every entity's repository
 * (`@InjectRepository(CaseRow)`) can be injected anywhere. Pending migrations run at start-up.
 */
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceModuleOptions = persistenceOptionsFromEnv()): DynamicModule {
    const { retryAttempts, retryDelay, ...persistence } = options;
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(persistence),
            ...(retryAttempts !== undefined ? { retryAttempts } : {}),
            ...(retryDelay !== undefined ? { retryDelay } : {}),
          }),
          // Our own factory, so that two processes starting on an empty database migrate one at a time.
          dataSourceFactory: () => initializeMigrated(() => new DataSource(dataSourceOptions(persistence))),
        }),
        TypeOrmModule.forFeature([...ENTITIES]),
      ],
      exports: [TypeOrmModule],
    };
  }
}
