import type { z } from 'zod';
import { problemsOf } from '../../../../libs/contracts/src';
import { invalidPayload } from '../errors/error-body';

/**
 * Parses a query string inside the handler rather than with the global pipe, so that a case the caller
 * cannot see answers 404 before a bad query answers 400 (contract.md check order). Every problem is
 * listed by its parameter name.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const problems = problemsOf(parsed.error).map((p) => ({ path: p.path || '(query)', message: p.message }));
  const names = [...new Set(problems.map((p) => p.path))].join(', ');
  return fail(problems, `Fix the query parameter${problems.length > 1 ? 's' : ''} ${names}.`);
}

function fail(problems: { path: string; message: string }[], message: string): never {
  throw invalidPayload(problems, message);
}
