import type { ValueTransformer } from 'typeorm';

/**
 * JSON kept as text, so SQLite and PostgreSQL store exactly the same bytes (a `jsonb` column would
 * reorder keys and drop duplicates; the audit hash is over the text the API serves back).
 */
export function jsonText<T>(): ValueTransformer {
  return {
    // `null` is stored as the JSON text `null`: every JSON column is NOT NULL.
    to: (value: T | null | undefined) => (value === undefined ? undefined : JSON.stringify(value)),
    from: (text: string | null) => (text === null || text === undefined ? null : (JSON.parse(text) as T)),
  };
}

/** Normalises a time to the stored form, `YYYY-MM-DDTHH:mm:ss.sssZ` (24 characters, sortable as text). */
export function isoTime(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError(`not a time: ${String(value)}`);
  const iso = date.toISOString();
  if (iso.length !== 24) throw new RangeError(`time out of range: ${iso}`);
  return iso;
}
