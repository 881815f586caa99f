import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import type { CaseView } from '../../../../libs/contracts/src';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { caseIdParamsSchema, CaseViewDto } from '../cases/cases.schemas';
import { ApiErrors } from '../openapi/error-responses';
import { ApiParamsOf, ApiQueryOf } from '../openapi/parameters';
import type { Page } from '../paging';
import { valid } from '../validation';
import {
  AccessLogPageDto,
  accessLogQuery,
  CaseExportDto,
  HistoryPageDto,
  VerifyReportDto,
  historyQuery,
  stateQuery,
} from './audit.schemas';
import { AuditService, type AccessLogItem, type HistoryItem } from './audit.service';
import { ExportService, type CaseExport } from './export.service';
import { parseQuery } from './query';
import { VerifyService, type VerifyReport } from './verify.service';

/**
 * Audit endpoints (contract.md "Audit endpoints"). Checks answer in the contract's order: the case
 * (404 unknown or not visible), then the query (400, parsed in the handler rather than by a parameter pipe), then the
 * role (403). Every read of case content writes one access-log row.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(VerifyService) private readonly verifier: VerifyService,
    @Inject(ExportService) private readonly exporter: ExportService,
  ) {}

  @Get('cases/:id/history')
  @ApiOperation({
    summary: "A case's audit log in seq order (assigned users, the unit's supervisor, auditors)",
  })
  @ApiParamsOf(caseIdParamsSchema)
  @ApiQueryOf(historyQuery)
  @ApiResponse({ status: 200, type: HistoryPageDto })
  @ApiErrors('not_found', 'invalid_payload')
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ): Promise<Page<HistoryItem>> {
    const head = await this.audit.visibleCase(principal, id);
    return this.audit.history(principal, head, parseQuery(historyQuery, query));
  }

  @Get('cases/:id/state')
  @ApiOperation({
    summary: 'The case view as it was at asOf, folded from the history through the pinned variant version',
  })
  @ApiParamsOf(caseIdParamsSchema)
  @ApiQueryOf(stateQuery)
  @ApiResponse({ status: 200, type: CaseViewDto })
  @ApiErrors('not_found', 'invalid_payload')
  async state(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ): Promise<CaseView> {
    const head = await this.audit.visibleCase(principal, id);
    const { asOf } = parseQuery(stateQuery, query);
    return this.audit.stateAsOf(principal, head, asOf ?? new Date().toISOString());
  }

  @Post('cases/:id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Auditors: hash chain, state against the live workflow, Temporal replay' })
  @ApiParamsOf(caseIdParamsSchema)
  @ApiResponse({ status: 200, type: VerifyReportDto })
  @ApiErrors('not_found', 'forbidden')
  verify(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<VerifyReport> {
    return this.verifier.verifyCase(principal, id);
  }

  @Get('cases/:id/export')
  @ApiOperation({
    summary: 'Auditors: the case view, its whole history and the verify report in one document',
  })
  @ApiParamsOf(caseIdParamsSchema)
  @ApiResponse({ status: 200, type: CaseExportDto })
  @ApiErrors('not_found', 'forbidden')
  export(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<CaseExport> {
    return this.exporter.exportCase(principal, id);
  }

  @Get('audit/access-log')
  @ApiOperation({ summary: 'Auditors: who read which case, when and what; oldest first' })
  @ApiResponse({ status: 200, type: AccessLogPageDto })
  @ApiQueryOf(accessLogQuery)
  @ApiErrors('invalid_payload', 'forbidden')
  accessLog(
    @CurrentPrincipal() principal: Principal,
    @Query(valid(accessLogQuery)) query: z.output<typeof accessLogQuery>,
  ): Promise<Page<AccessLogItem>> {
    return this.audit.accessLogOf(principal, query);
  }
}
