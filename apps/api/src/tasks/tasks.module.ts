import { Module } from '@nestjs/common';
import { PinnedConfigService } from '../audit/pinned-config.service';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** `GET /tasks`. Needs the `DataSource` from the host (PersistenceModule, global). */
@Module({
  controllers: [TasksController],
  providers: [PinnedConfigService, TasksService],
  exports: [TasksService],
})
export class TasksModule {}
