import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccessLogRow, insertRows, writeStatement } from '../../../../libs/persistence/src';
import type { Principal } from '../auth/principal';

/** What was read: contract.md "every read of case content (view, history, state, export) writes one row". */
export type AccessAction = 'view' | 'list' | 'history' | 'state' | 'verify' | 'export' | 'event';

@Injectable()
export class AccessLogService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Written before the content is sent, so no read goes unlogged. `role` is the role the read relied on. */
  async record(
    principal: Principal,
    role: string,
    caseId: string | null,
    action: AccessAction,
  ): Promise<void> {
    await writeStatement(this.db, (m) =>
      insertRows(m, AccessLogRow, [
        { at: new Date().toISOString(), sub: principal.sub, role, caseId, action },
      ]),
    );
  }
}
