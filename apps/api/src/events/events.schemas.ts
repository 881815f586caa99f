import { z } from 'zod';
import { commandPayloads, commandTypes } from '../../../../libs/contracts/src';
import { namedDto } from '../openapi/named-dto';

/**
 * The body of `POST /cases/:id/events`, `{ type, ...payload }`, for the OpenAPI document. Requests are
 * checked by `parseCommandBody` from the same payload schemas, inside the handler, because the contract
 * wants 404 (case) answered before 400 (payload).
 */
const variants = commandTypes.map((type) =>
  commandPayloads[type].safeExtend({ type: z.literal(type) }).meta({ id: `Event_${type.replace('.', '_')}` }),
);
export const caseEventBodySchema = z.discriminatedUnion(
  'type',
  variants as unknown as [(typeof variants)[number], ...(typeof variants)[number][]],
);
export class CaseEventBodyDto extends namedDto(caseEventBodySchema) {}

/** `Idempotency-Key`: any string of at most 200 characters, scoped to the case. */
export const idempotencyKeySchema = z.string().min(1).max(200);
