/**
 * Whether an error means that Temporal or the database could not be reached (→ 503, nothing accepted),
 * as opposed to a bug (→ 500). Drivers wrap their causes differently, so the whole chain is searched.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);
/** PostgreSQL SQLSTATEs: connection exceptions (08…), shutdown or start-up (57P…), too many connections. */
const POSTGRES_CODES = /^(08...|57P0[1-3]|53300)$/;
const SQLITE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
]);
/** gRPC statuses of an unreachable or overloaded Temporal: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const GRPC_CODES = new Set([1, 4, 8, 14]);
const NAMES = new Set([
  'WorkflowUpdateRPCTimeoutOrCancelledError',
  'ConnectionIsNotSetError',
  'TransportError',
]);
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Driver not Connected|Failed to connect before the deadline/i;

export function isUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === 'object' && !seen.has(e);) {
    seen.add(e);
    const { code, name, message, cause, driverError } = e as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      driverError?: unknown;
    };
    if (
      typeof code === 'string' &&
      (NETWORK_CODES.has(code) || POSTGRES_CODES.test(code) || SQLITE_CODES.has(code))
    )
      return true;
    if (typeof code === 'number' && GRPC_CODES.has(code) && 'details' in (e as object)) return true;
    if (typeof name === 'string' && NAMES.has(name)) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    e = driverError ?? cause;
  }
  return false;
}
