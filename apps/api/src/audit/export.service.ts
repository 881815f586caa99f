import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CaseView } from '../../../../libs/contracts/src';
import { AuditEntryRow, CaseRow, historyItemOf } from '../../../../libs/persistence/src';
import { AccessLogService } from '../access-log/access-log.service';
import type { Principal } from '../auth/principal';
import { requireAuditor, visibleCase } from './case-access';
import type { HistoryItem } from './audit.service';
import { VerifyService, type VerifyReport } from './verify.service';

export interface CaseExport {
  /** The case view as the projection holds it now. */
  case: CaseView;
  /** Every audit entry, seq 1 onwards, exactly as `GET /cases/:id/history` serves them. */
  history: HistoryItem[];
  verify: VerifyReport;
}

/**
 * Everything an auditor takes away about one case, in one document: the view, the whole hash-chained
 * history (recomputable without Neuvo) and the integrity report. Used by `GET /cases/:id/export` and the CLI.
 */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(VerifyService) private readonly verifier: VerifyService,
    @Inject(AccessLogService) private readonly accessLog: AccessLogService,
  ) {}

  async exportCase(principal: Principal, caseId: string): Promise<CaseExport> {
    const head = await visibleCase(this.db, principal, caseId);
    requireAuditor(principal, 'export a case');
    const verify = await this.verifier.verify(head);
    const [row, entries] = await Promise.all([
      this.db
        .getRepository(CaseRow)
        .findOneOrFail({ where: { id: caseId }, select: { id: true, view: true } }),
      this.db.getRepository(AuditEntryRow).find({ where: { caseId }, order: { seq: 'ASC' } }),
    ]);
    await this.accessLog.record(principal, 'auditor', caseId, 'export');
    return { case: row.view, history: entries.map(historyItemOf), verify };
  }
}
