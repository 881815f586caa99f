import { z } from 'zod';
import { invalidPayload } from './errors/error-body';

/** `limit` (default 100) and the opaque `cursor` of every list (contract.md "Lists"). */
export const pageQueryShape = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe('Items per page (1–1000, default 100).'),
  cursor: z.string().min(1).max(1000).optional().describe('The nextCursor of the previous page.'),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const pageSchemaOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A cursor is the sort key of the last item served, as base64url JSON: opaque to clients, checked on return. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(
  cursor: string | undefined,
  shape: T,
): z.output<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw invalidPayload(
    [{ path: 'cursor', message: 'is not a cursor this list gave out' }],
    'The cursor is not valid; start again without it.',
  );
}

/** Fetch `limit + 1` rows, then call this: the extra row only tells whether another page exists. */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  item: (row: R) => T,
  key: (row: R) => readonly (string | number)[],
): Page<T> {
  const more = rows.length > limit;
  const served = more ? rows.slice(0, limit) : rows;
  const last = served.at(-1);
  return { items: served.map(item), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}
