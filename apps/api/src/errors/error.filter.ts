import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HttpResponse } from '../http';
import { ApiError } from './api-error';
import { answerOfApiError, INTERNAL, type ErrorAnswer } from './error-body';
import { isUnavailable } from './unavailable';

const UNAVAILABLE = answerOfApiError(
  new ApiError(
    'unavailable',
    'Temporal or the database cannot be reached; nothing was accepted, try again shortly.',
  ),
);

/** What the body parser and the router throw, in contract terms. */
function answerOfHttpException(error: HttpException): ErrorAnswer {
  const status = error.getStatus();
  if (status === 404)
    return answerOfApiError(new ApiError('not_found', 'There is no such resource; see /docs for the API.'));
  if (status === 401) return answerOfApiError(new ApiError('unauthenticated', 'Send a valid bearer token.'));
  if (status === 403) return answerOfApiError(new ApiError('forbidden', 'Your roles do not allow this.'));
  if (status >= 400 && status < 500) {
    // Nest turns body-parser's SyntaxError and Express's URIError into a 400 with the parser's message.
    const json = /JSON/.test(error.message);
    const message = json
      ? 'The body is not valid JSON.'
      : 'The request could not be read; check the URL encoding.';
    return answerOfApiError(
      new ApiError('invalid_payload', message, [
        { path: '', message: json ? 'malformed JSON' : 'malformed request' },
      ]),
    );
  }
  return INTERNAL;
}

/** Errors from body-parser (malformed JSON, too large, bad charset or encoding) carry a 4xx `status` and a `type`. */
function bodyParserAnswer(error: unknown): ErrorAnswer | undefined {
  const e = error as { status?: unknown; type?: unknown; expose?: unknown };
  if (typeof e?.type !== 'string' || typeof e.status !== 'number' || e.status < 400 || e.status >= 500)
    return undefined;
  const message =
    e.type === 'entity.too.large'
      ? 'The body is too large; send at most 100 kB of JSON.'
      : e.type === 'entity.parse.failed'
        ? 'The body is not valid JSON.'
        : 'The body could not be read; send UTF-8 JSON.';
  return answerOfApiError(new ApiError('invalid_payload', message, [{ path: '', message: e.type }]));
}

export function answerOf(error: unknown): ErrorAnswer {
  if (error instanceof ApiError) return answerOfApiError(error);
  const fromBody = bodyParserAnswer(error);
  if (fromBody) return fromBody;
  if (isUnavailable(error)) return UNAVAILABLE;
  if (error instanceof HttpException) return answerOfHttpException(error);
  // Nest maps a malformed JSON body or URI to a BadRequestException; anything else is ours to fix.
  return INTERNAL;
}

/** Every error leaves as `{ error, message, details? }` with the contract's status; never a stack. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const answer = answerOf(error);
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (answer === INTERNAL)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    else if (answer.status === 503)
      this.logger.warn(`unavailable: ${error instanceof Error ? error.message : String(error)}`);
    if (response.headersSent) return;
    response.status(answer.status).json(answer.body);
  }
}
