import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import type { CaseView } from '../../../../libs/contracts/src';
import { CaseRow } from '../../../../libs/persistence/src';
import { AccessLogService } from '../access-log/access-log.service';
import type { Principal } from '../auth/principal';
import { ApiError } from '../errors/api-error';
import { invalidPayload } from '../errors/error-body';
import { readsCases } from '../policy/policy';
import { decodeCursor, pageOf, type Page } from '../paging';
import { CaseCommands } from '../temporal/commands';
import { VariantsService } from '../variants/variants.service';
import { CaseRecords } from './case-records';
import type { caseListItemSchema, listCasesQuerySchema } from './cases.schemas';

type ListItem = z.infer<typeof caseListItemSchema>;
type ListQuery = z.output<typeof listCasesQuerySchema>;

const cursorShape = z.tuple([z.string(), z.string()]);

/** Case ids carry no personal data (they become workflow ids): `c_` and 80 random bits. */
export const newCaseId = () => `c_${randomBytes(10).toString('hex')}`;

@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(VariantsService) private readonly variants: VariantsService,
    @Inject(CaseCommands) private readonly commands: CaseCommands,
    @Inject(CaseRecords) private readonly records: CaseRecords,
    @Inject(AccessLogService) private readonly accessLog: AccessLogService,
  ) {}

  /** Opens a case of the latest (or the given) version; the caller becomes its caseworker. */
  async open(principal: Principal, body: { variant: string; version?: number }): Promise<CaseView> {
    const config = await this.variants.config(body.variant, body.version);
    if (!config) {
      const known = body.version !== undefined && (await this.variants.config(body.variant)) !== undefined;
      const problem = known
        ? { path: 'version', message: `variant ${body.variant} has no version ${body.version}` }
        : { path: 'variant', message: `there is no variant ${body.variant}; GET /variants lists them` };
      throw invalidPayload([problem], 'The variant to open does not exist; see details.');
    }
    if (!principal.roles.includes('caseworker'))
      throw new ApiError('forbidden', 'Only caseworkers open cases.');
    const caseId = newCaseId();
    const view = await this.commands.open(caseId, config, { sub: principal.sub, unit: principal.unit });
    await this.accessLog.record(principal, 'caseworker', caseId, 'view');
    return view;
  }

  /** The case view from the projection; the read is logged before it is served. */
  async view(principal: Principal, id: string): Promise<CaseView> {
    const { role } = await this.records.visible(principal, id);
    const row = await this.db
      .getRepository(CaseRow)
      .findOne({ select: { id: true, view: true }, where: { id } });
    if (!row) throw new ApiError('not_found', `There is no case ${id} that you can see.`);
    await this.accessLog.record(principal, role, id, 'view');
    return row.view;
  }

  /** Cases the caller can see, newest change first, from the projection only. */
  async list(principal: Principal, query: ListQuery): Promise<Page<ListItem>> {
    if (!readsCases(principal)) throw new ApiError('forbidden', 'Admins have no access to case content.');
    const after = decodeCursor(query.cursor, cursorShape);
    const qb = this.db
      .getRepository(CaseRow)
      .createQueryBuilder('c')
      .select(['c.id', 'c.updatedAt', 'c.view']);
    visibleTo(qb, principal);
    if (query.phase) qb.andWhere('c.phase = :phase', { phase: query.phase });
    if (query.variant) qb.andWhere('c.variantKey = :variant', { variant: query.variant });
    if (query.overdue) overdue(qb, new Date().toISOString(), query.overdue === 'false');
    if (after) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('c.updatedAt < :u', { u: after[0] })
            .orWhere('(c.updatedAt = :u AND c.id < :after)', { after: after[1] }),
        ),
      );
    }
    const rows = await qb
      .orderBy('c.updatedAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(query.limit + 1)
      .getMany();
    const page = pageOf(
      rows,
      query.limit,
      (r) => listItemOf(r.view),
      (r) => [r.updatedAt, r.id],
    );
    const role = principal.roles.find((r) => r !== 'admin') ?? principal.roles[0]!;
    await this.accessLog.record(principal, role, null, 'list');
    return page;
  }
}

function listItemOf(view: CaseView): ListItem {
  const { participants: _p, plan: _plan, promises: _promises, ...item } = view;
  return item;
}

/** The visibility rules of policy.ts, as SQL: assigned caseworker or coordinator, the unit's supervisor, any auditor. */
function visibleTo(qb: SelectQueryBuilder<CaseRow>, principal: Principal): void {
  if (principal.roles.includes('auditor')) return;
  qb.andWhere(
    new Brackets((w) => {
      w.where('1 = 0');
      if (principal.roles.includes('caseworker')) w.orWhere('c.caseworkerSub = :sub', { sub: principal.sub });
      if (principal.roles.includes('coordinator')) {
        w.orWhere(
          `EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = c.id AND m.sub = :sub AND m.relation = 'coordinator')`,
          {
            sub: principal.sub,
          },
        );
      }
      if (principal.roles.includes('supervisor'))
        w.orWhere('c.caseworkerUnit = :unit', { unit: principal.unit });
    }),
  );
}

/**
 * Overdue: an open promise past its due time, a meeting not held after its date, a conference or plan
 * letter deadline already reached, or a timer step the worker has not fired yet. Closed cases never are.
 */
function overdue(qb: SelectQueryBuilder<CaseRow>, now: string, negate = false): void {
  const condition = `(c.phase <> 'closed' AND (
    (c.next_due_at IS NOT NULL AND c.next_due_at < :now)
    OR EXISTS (SELECT 1 FROM case_promises p WHERE p.case_id = c.id AND p.status = 'open' AND p.due_at < :now)
    OR EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.kind = 'meeting' AND d.ref < :now)
    OR EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.kind IN ('conference', 'planLetter')
      AND NOT EXISTS (SELECT 1 FROM case_deadlines f WHERE f.case_id = c.id AND f.kind = d.kind AND f.level IS NULL))))`;
  qb.andWhere(negate ? `NOT ${condition}` : condition, { now });
}
