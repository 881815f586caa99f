import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { errorStatus, type ErrorCode } from '../../../../libs/contracts/src';

const problem = z.object({ path: z.string(), message: z.string() }).meta({ id: 'Problem' });

/** The body of every refusal (contract.md "Errors"). */
export const errorBodySchema = z.object({
  error: z.enum([...(Object.keys(errorStatus) as ErrorCode[]), 'internal']),
  message: z.string().describe('One sentence a person can act on.'),
  details: z
    .union([
      z.array(problem).describe('invalid_payload: every problem'),
      z
        .object({ state: z.unknown(), allowedEvents: z.array(z.string()), rule: z.string() })
        .describe('transition_rejected: what the process accepts now and the rule that refused'),
    ])
    .optional(),
});

export class ErrorDto extends createZodDto(errorBodySchema) {}

const descriptions: Record<ErrorCode, string> = {
  invalid_payload:
    'invalid_payload: the body, query or path is malformed; details lists every problem as { path, message }',
  unauthenticated: 'unauthenticated: no bearer token, or an invalid or expired one',
  forbidden: 'forbidden: your roles or assignment do not allow this',
  not_found: 'not_found: unknown, or not visible to you',
  transition_rejected:
    'transition_rejected: the process does not accept this now; details = { state, allowedEvents, rule }',
  idempotency_key_reused: 'idempotency_key_reused: this Idempotency-Key was used with another body',
  unavailable: 'unavailable: Temporal or the database is down; nothing was accepted',
};

/** Documents the error answers of an endpoint (401 and 503 are possible everywhere behind the guard). */
export const ApiErrors = (...codes: ErrorCode[]) =>
  applyDecorators(
    ...[...new Set<ErrorCode>(['unauthenticated', ...codes, 'unavailable'])].map((code) =>
      ApiResponse({ status: errorStatus[code], description: descriptions[code], type: ErrorDto }),
    ),
    ApiResponse({
      status: 500,
      description: 'internal: a bug; the failure is logged (never a stack trace)',
      type: ErrorDto,
    }),
  );
