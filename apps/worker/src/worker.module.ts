import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ActivitiesModule, activitiesFrom } from '../../../activities';
import type { CaseActivities } from '../../../activities/contracts';
import { PersistenceModule, type PersistenceModuleOptions } from '../../../libs/persistence/src';

/** The worker's Nest context: the database and the activity services, nothing else. */
@Module({})
export class WorkerModule {
  static register(persistence: PersistenceModuleOptions): DynamicModule {
    return { module: WorkerModule, imports: [PersistenceModule.forRoot(persistence), ActivitiesModule] };
  }
}

export interface WorkerContext {
  activities: CaseActivities;
  close(): Promise<void>;
}

/** Builds the activities as Nest services (migrations run on the way) and hands back plain functions. */
export async function createWorkerContext(persistence: PersistenceModuleOptions): Promise<WorkerContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(persistence), { logger: ['error', 'warn'] });
  return { activities: activitiesFrom(app), close: () => app.close() };
}
