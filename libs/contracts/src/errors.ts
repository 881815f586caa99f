/** Error codes and their HTTP statuses (contract.md "Starting, ports and tokens"). */
export const errorStatus = {
  invalid_payload: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  transition_rejected: 409,
  idempotency_key_reused: 422,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  details?: unknown;
}

/** Why the process refused an event: the rule that refused it and what it would accept instead. */
export interface Rejection {
  rule: string;
  state: unknown;
  allowedEvents: string[];
  message: string;
}
