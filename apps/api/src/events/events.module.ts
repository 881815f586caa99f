import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { VariantsModule } from '../variants/variants.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { IdempotencyStore } from './idempotency.store';

@Module({
  imports: [CasesModule, VariantsModule],
  controllers: [EventsController],
  providers: [EventsService, IdempotencyStore],
})
export class EventsModule {}
