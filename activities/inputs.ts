import { z } from 'zod';
import { actorSchema, caseViewSchema, promiseViewSchema } from '../libs/contracts/src';
import { isoTime } from '../libs/persistence/src';

const caseId = z.string().min(1).max(100);
const seq = z.number().int().min(1);
const recipient = z.string().min(1).max(200);

/** A time exactly as stored: 24-character UTC ISO with milliseconds. The audit hash covers it as given. */
const storedTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be a UTC ISO-8601 time with milliseconds, e.g. 2026-11-23T08:00:00.000Z',
  });

/** Any ISO time, normalised to the stored form. */
const anyTime = z.string().transform((s, ctx) => {
  try {
    return isoTime(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 time' });
    return z.NEVER;
  }
});

export const auditAppendInput = z.object({
  caseId,
  seq,
  at: storedTime,
  actor: actorSchema,
  type: z.string().min(1).max(100),
  payload: z.unknown(),
});

export const projectionInput = z.object({
  view: caseViewSchema
    .extend({
      id: caseId,
      updatedAt: anyTime,
      variant: z.object({ key: z.string().min(1).max(100), version: z.number().int() }),
      phase: z.string().min(1).max(64),
      caseworker: z.object({ sub: recipient, unit: recipient }),
      coordinators: z.array(z.object({ sub: recipient, unit: recipient })),
      promises: z.array(
        promiseViewSchema.extend({
          id: z.string().min(1).max(100),
          owner: recipient,
          verifier: recipient,
          dueAt: anyTime,
          escalation: z.string().max(64).nullable(),
        }),
      ),
    })
    .loose(),
  deadlines: z.array(
    z.object({
      kind: z.string().min(1).max(32),
      ref: z.string().min(1).max(200),
      level: z.string().max(64).optional(),
      dueAt: anyTime,
    }),
  ),
  unchanged: z.array(z.enum(['promises', 'deadlines', 'members'])).optional(),
});

export const notificationInput = z.object({
  caseId,
  seq,
  event: z.string().min(1).max(100),
  recipients: z.array(recipient),
  details: z.record(z.string(), z.unknown()),
});

export const documentInput = z.object({
  caseId,
  seq,
  document: z.enum(['memo', 'planLetter']),
  recipients: z.array(recipient),
  view: caseViewSchema.loose(),
});
