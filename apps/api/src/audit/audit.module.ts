import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { ExportService } from './export.service';
import { PinnedConfigService } from './pinned-config.service';
import { VerifyService } from './verify.service';

/**
 * History, state as of a time, verification, export and the access log. Needs from the host: the
 * `DataSource` (PersistenceModule), `AccessLogService` (AccessLogModule) and the Temporal
 * client under `TEMPORAL_CLIENT` (./temporal-client.token; TemporalModule), all global. A `WORKFLOW_BUNDLE`
 * provider is optional.
 */
@Module({
  controllers: [AuditController],
  providers: [PinnedConfigService, AuditService, VerifyService, ExportService],
  exports: [AuditService, VerifyService, ExportService, PinnedConfigService],
})
export class AuditModule {}
