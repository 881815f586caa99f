import { Body, Controller, Headers, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HttpResponse } from '../http';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { caseIdParamsSchema, CaseViewDto } from '../cases/cases.schemas';
import { ApiParamsOf } from '../openapi/parameters';
import { ApiErrors } from '../openapi/error-responses';
import { CaseEventBodyDto } from './events.schemas';
import { EventsService } from './events.service';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class EventsController {
  constructor(@Inject(EventsService) private readonly events: EventsService) {}

  @Post(':id/events')
  @ApiOperation({
    summary: 'Apply an event to a case ({ type, ...payload }); the server stamps time and actor',
    description: 'Checked in this order: 401, 404, 400, 403, Idempotency-Key (replay or 422), 409.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'At most 200 characters, scoped to the case: the same key and body get the first answer again, byte for byte',
  })
  @ApiParamsOf(caseIdParamsSchema)
  @ApiBody({ type: CaseEventBodyDto })
  @ApiResponse({ status: 200, description: 'Accepted: the new case view', type: CaseViewDto })
  @ApiErrors('invalid_payload', 'not_found', 'forbidden', 'idempotency_key_reused', 'transition_rejected')
  async send(
    @Param('id') caseId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() res: HttpResponse,
  ): Promise<void> {
    const answer = await this.events.send(principal, caseId, body, idempotencyKey);
    // Sent as stored, so a replay is byte for byte the first answer.
    res.status(answer.status).type('application/json').send(answer.body);
  }
}
