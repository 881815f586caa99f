import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { CaseEvent, CaseView } from '../../../../libs/contracts/src';
import {
  AccessLogRow,
  AuditEntryRow,
  historyItemOf,
  type ChainEntry,
} from '../../../../libs/persistence/src';
import { fold, viewOf } from '../../../../libs/process/src';
import { AccessLogService } from '../access-log/access-log.service';
import type { Principal } from '../auth/principal';
import { ApiError } from '../errors/api-error';
import { requireAuditor, roleRelied, visibleCase, type CaseHead } from './case-access';
import { decodeCursor, pageOf, type Page } from '../paging';
import { PinnedConfigService } from './pinned-config.service';

export type HistoryItem = ChainEntry;

export interface AccessLogItem {
  at: string;
  sub: string;
  role: string;
  caseId: string | null;
  action: string;
}

export interface AccessLogFilter {
  caseId?: string;
  sub?: string;
  /** Inclusive bounds, stored form (24-character UTC ISO). */
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

const seqCursor = z.tuple([z.number().int().min(0)]);
const accessCursor = z.tuple([z.string().max(24), z.number().int().min(0)]);

/** The audit trail of cases: history, reconstructed state and the access log. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(AccessLogService) private readonly accessLog: AccessLogService,
    @Inject(PinnedConfigService) private readonly configs: PinnedConfigService,
  ) {}

  /** `GET /cases/:id/history`: entries in seq order, paged by seq. */
  async history(
    principal: Principal,
    head: CaseHead,
    page: { limit: number; cursor?: string },
  ): Promise<Page<HistoryItem>> {
    const caseId = head.id;
    const [after] = decodeCursor(page.cursor, seqCursor) ?? [0];
    const rows = await this.db
      .getRepository(AuditEntryRow)
      .createQueryBuilder('e')
      .where('e.case_id = :caseId AND e.seq > :after', { caseId, after })
      .orderBy('e.seq', 'ASC')
      .limit(page.limit + 1)
      .getMany();
    await this.accessLog.record(principal, roleRelied(principal, head), caseId, 'history');
    return pageOf(rows, page.limit, historyItemOf, (r) => [r.seq]);
  }

  /**
   * `GET /cases/:id/state?asOf=`: the entries stamped at or before `asOf`, folded through the case's pinned
   * config, as a case view. `asOf` is parsed by the caller after the case was found (404 before 400).
   */
  async stateAsOf(principal: Principal, head: CaseHead, asOf: string): Promise<CaseView> {
    const rows = await this.db
      .getRepository(AuditEntryRow)
      .createQueryBuilder('e')
      .where('e.case_id = :caseId AND e.at <= :asOf', { caseId: head.id, asOf })
      .orderBy('e.seq', 'ASC')
      .getMany();
    // Times never go back along a history, so this is a prefix; cut at a gap all the same.
    const prefix = rows.filter((r, i) => r.seq === i + 1);
    if (prefix.length === 0) {
      const first = await this.db
        .getRepository(AuditEntryRow)
        .findOne({ where: { caseId: head.id, seq: 1 }, select: { at: true } });
      throw new ApiError(
        'not_found',
        `Case ${head.id} did not exist yet at ${asOf}${first ? `; it was opened at ${first.at}` : ''}.`,
      );
    }
    const view = await this.viewOfEntries(head, prefix);
    await this.accessLog.record(principal, roleRelied(principal, head), head.id, 'state');
    return view;
  }

  /** The case, if the caller may see it, else 404: found before a query is parsed (404 answers before 400). */
  visibleCase(principal: Principal, caseId: string): Promise<CaseHead> {
    return visibleCase(this.db, principal, caseId);
  }

  /** The case view folded from these entries (seq 1 onwards) through the pinned config. */
  async viewOfEntries(head: CaseHead, rows: AuditEntryRow[]): Promise<CaseView> {
    const config = await this.configs.configOf(head.variantKey, head.variantVersion);
    const folded = fold(config, head.id, rows.map(eventOf), { validate: true });
    if ('brokenAt' in folded) {
      // Not a refusal: the stored history is not one this machine produced (see POST /cases/:id/verify).
      throw new Error(
        `history of case ${head.id} does not fold at seq ${folded.brokenAt + 1} (rule ${folded.rejected.rule})`,
      );
    }
    return viewOf(config, folded.snapshot);
  }

  /** `GET /audit/access-log` (auditor only): oldest first, paged by (at, id). */
  async accessLogOf(principal: Principal, filter: AccessLogFilter): Promise<Page<AccessLogItem>> {
    requireAuditor(principal, 'read the access log');
    const after = decodeCursor(filter.cursor, accessCursor);
    const query = this.db.getRepository(AccessLogRow).createQueryBuilder('a');
    if (filter.caseId !== undefined) query.andWhere('a.case_id = :caseId', { caseId: filter.caseId });
    if (filter.sub !== undefined) query.andWhere('a.sub = :sub', { sub: filter.sub });
    if (filter.from !== undefined) query.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('a.at <= :to', { to: filter.to });
    if (after)
      query.andWhere('(a.at > :afterAt OR (a.at = :afterAt AND a.id > :afterId))', {
        afterAt: after[0],
        afterId: after[1],
      });
    const rows = await query
      .orderBy('a.at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(filter.limit + 1)
      .getMany();
    return pageOf(
      rows,
      filter.limit,
      ({ at, sub, role, caseId, action }) => ({ at, sub, role, caseId, action }),
      (r) => [r.at, r.id],
    );
  }
}

/** A stored entry as the process folds it. */
export function eventOf(row: AuditEntryRow): CaseEvent {
  return {
    type: row.type,
    at: row.at,
    actor: { sub: row.actorSub, role: row.actorRole },
    payload: row.payload,
  } as CaseEvent;
}
