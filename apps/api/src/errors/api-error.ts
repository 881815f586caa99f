import { errorStatus, type ErrorCode } from '../../../../libs/contracts/src';

/**
 * The one way the API refuses a request: a contract error code, one sentence a person can act on, and
 * optional details. The exception filter turns it into `{ error, message, details }` with its status.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}
