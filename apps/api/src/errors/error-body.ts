import type { ErrorCode } from '../../../../libs/contracts/src';
import { ApiError } from './api-error';

/** The body of every refusal (contract.md): `{ error, message, details? }`; `internal` is the 500 case. */
export interface ErrorAnswer {
  status: number;
  body: { error: ErrorCode | 'internal'; message: string; details?: unknown };
}

export const INTERNAL: ErrorAnswer = {
  status: 500,
  body: { error: 'internal', message: 'Something went wrong; the failure is logged.' },
};

export function answerOfApiError(error: ApiError): ErrorAnswer {
  const body: ErrorAnswer['body'] = { error: error.code, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  return { status: error.status, body };
}

/** A refusal with a list of `{ path, message }` problems (400). */
export function invalidPayload(
  problems: { path: string; message: string }[],
  message = 'The request has invalid fields; see details.',
): ApiError {
  return new ApiError('invalid_payload', message, problems);
}
