import { z } from 'zod';

/** A UTC instant; accepted in any ISO-8601 UTC form and always given back with milliseconds. */
export const isoTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be a UTC ISO-8601 time such as 2026-11-23T08:00:00.000Z',
  })
  .transform((s) => new Date(s).toISOString());

export type IsoTime = string;
