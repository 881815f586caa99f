import { Module, type DynamicModule } from '@nestjs/common';
import { PersistenceModule } from '../../../libs/persistence/src';
import { AccessLogModule } from './access-log/access-log.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import type { ApiSettings } from './settings';
import { SettingsModule } from './settings.module';
import { TasksModule } from './tasks/tasks.module';
import { TemporalModule } from './temporal/temporal.module';
import { VariantsModule } from './variants/variants.module';

/** The HTTP API: one module per resource; the database, Temporal, settings and the access log are global. */
@Module({})
export class AppModule {
  static register(settings: ApiSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SettingsModule.register(settings),
        PersistenceModule.forRoot({ url: settings.databaseUrl }),
        TemporalModule,
        AccessLogModule,
        AuthModule,
        HealthModule,
        VariantsModule,
        CasesModule,
        EventsModule,
        AuditModule,
        TasksModule,
      ],
    };
  }
}
