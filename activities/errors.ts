import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { problemsOf } from '../libs/contracts/src';

/**
 * Failures a retry cannot fix. Their messages and details go into Temporal's history, so they name
 * cases, seqs, types and paths, never payload values (which may hold personal data).
 */
export const ActivityFailure = {
  /** An entry (caseId, seq) is already stored with other content. */
  auditConflict: 'AuditConflict',
  /** seq > 1 and entry seq - 1 is not stored: the workflow skipped an append. */
  auditGap: 'AuditGap',
  /** The input does not have the shape of activities/contracts.ts. */
  invalidInput: 'InvalidActivityInput',
} as const;

export function nonRetryable(
  type: string,
  message: string,
  details?: Record<string, unknown>,
): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details ? [details] : undefined,
  });
}

/** Parses an activity input, or fails without retry listing every problem's path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, activity: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = problemsOf(parsed.error);
  return failInvalid(activity, problems);
}

function failInvalid(activity: string, problems: { path: string; message: string }[]): never {
  const where = problems.map((p) => p.path || '(root)').join(', ');
  throw nonRetryable(ActivityFailure.invalidInput, `${activity}: invalid input at ${where}`, { problems });
}
