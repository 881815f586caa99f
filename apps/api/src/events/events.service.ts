import { Inject, Injectable } from '@nestjs/common';
import { parseCommandBody } from '../../../../libs/contracts/src';
import { AccessLogService } from '../access-log/access-log.service';
import type { Principal } from '../auth/principal';
import { CaseRecords } from '../cases/case-records';
import { ApiError } from '../errors/api-error';
import { answerOfApiError, invalidPayload } from '../errors/error-body';
import { canSendEvent } from '../policy/policy';
import { CaseCommands, type CommandOutcome } from '../temporal/commands';
import { VariantsService } from '../variants/variants.service';
import { idempotencyKeySchema } from './events.schemas';
import { IdempotencyStore, type Answer } from './idempotency.store';

/**
 * `POST /cases/:id/events`, checked in the contract's order: 401 (guard), 404 case unknown or not
 * visible, 400 payload, 403 policy, Idempotency-Key replay or 422, 409 process (the workflow's validator).
 */
@Injectable()
export class EventsService {
  constructor(
    @Inject(CaseRecords) private readonly records: CaseRecords,
    @Inject(VariantsService) private readonly variants: VariantsService,
    @Inject(CaseCommands) private readonly commands: CaseCommands,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
    @Inject(AccessLogService) private readonly accessLog: AccessLogService,
  ) {}

  async send(
    principal: Principal,
    caseId: string,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Answer> {
    const { record } = await this.records.visible(principal, caseId);

    const command = parseCommandBody(body);
    const problems = command.ok ? [] : [...command.problems];
    if (idempotencyKey !== undefined && !idempotencyKeySchema.safeParse(idempotencyKey).success) {
      problems.push({ path: 'Idempotency-Key', message: 'must be 1 to 200 characters' });
    }
    if (!command.ok || problems.length > 0)
      throw invalidPayload(problems, 'The event is not valid; details lists every problem.');

    const config = await this.variants.config(record.variant.key, record.variant.version);
    if (!config)
      throw new Error(
        `case ${caseId} pins variant ${record.variant.key} v${record.variant.version}, which is not stored`,
      );
    const decision = canSendEvent(principal, command.type, record.facts, config);
    if (!decision.allowed) throw new ApiError('forbidden', decision.reason);

    const event = {
      type: command.type,
      payload: command.payload,
      actor: { sub: principal.sub, role: decision.role },
    };
    const send = async (updateId?: string) => answerOf(await this.commands.apply(caseId, event, updateId));
    const answer =
      idempotencyKey === undefined
        ? await send()
        : await this.idempotency.once(caseId, idempotencyKey, body, send);
    // The answer carries case content (the view, or the state that refused): a read to log.
    await this.accessLog.record(principal, decision.role, caseId, 'event');
    return answer;
  }
}

function answerOf(outcome: CommandOutcome): Answer {
  if ('view' in outcome) return { status: 200, body: JSON.stringify(outcome.view) };
  const { state, allowedEvents, rule, message } = outcome.rejected;
  const refusal = answerOfApiError(
    new ApiError('transition_rejected', message, { state, allowedEvents, rule }),
  );
  return { status: refusal.status, body: JSON.stringify(refusal.body) };
}
