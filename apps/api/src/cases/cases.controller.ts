import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import type { z } from 'zod';
import { ApiErrors } from '../openapi/error-responses';
import { ApiParamsOf, ApiQueryOf } from '../openapi/parameters';
import { valid } from '../validation';
import {
  caseIdParamsSchema,
  CaseListDto,
  CaseViewDto,
  listCasesQuerySchema,
  OpenCaseDto,
  openCaseSchema,
} from './cases.schemas';
import { CasesService } from './cases.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(@Inject(CasesService) private readonly cases: CasesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Open a case of a variant (caseworkers; latest version unless given). The caller becomes its caseworker.',
  })
  @ApiResponse({ status: 201, description: 'The case view after case.opened', type: CaseViewDto })
  @ApiBody({ type: OpenCaseDto })
  @ApiErrors('invalid_payload', 'forbidden')
  open(
    @Body(valid(openCaseSchema)) body: z.output<typeof openCaseSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cases.open(principal, body);
  }

  @Get()
  @ApiOperation({
    summary: 'Cases you can see (assigned, your unit as supervisor, all as auditor), newest change first',
  })
  @ApiResponse({ status: 200, type: CaseListDto })
  @ApiQueryOf(listCasesQuerySchema)
  @ApiErrors('invalid_payload', 'forbidden')
  list(
    @Query(valid(listCasesQuerySchema)) query: z.output<typeof listCasesQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cases.list(principal, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The case view (every read is written to the access log)' })
  @ApiResponse({ status: 200, type: CaseViewDto })
  @ApiParamsOf(caseIdParamsSchema)
  @ApiErrors('not_found')
  view(
    @Param(valid(caseIdParamsSchema)) params: z.output<typeof caseIdParamsSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.cases.view(principal, params.id);
  }
}
