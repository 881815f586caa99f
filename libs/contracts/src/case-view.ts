import { z } from 'zod';
import { participantSchema, closeReasonSchema } from './events';

const userRef = z.object({ sub: z.string(), unit: z.string() });

export const promiseStatusSchema = z.enum(['open', 'kept', 'notKept', 'dropped']);

export const promiseViewSchema = z.object({
  id: z.string(),
  what: z.string(),
  owner: z.string(),
  verifier: z.string(),
  dueAt: z.string(),
  status: promiseStatusSchema,
  /** The highest ladder level reached so far, or null. */
  escalation: z.string().nullable(),
  note: z.string().optional(),
});
export type PromiseView = z.infer<typeof promiseViewSchema>;

export const deadlineViewSchema = z.object({
  kind: z.string(),
  ref: z.string(),
  dueAt: z.string(),
  level: z.string().optional(),
});
export type DeadlineView = z.infer<typeof deadlineViewSchema>;

/** The case view of contract.md: GET /cases/:id and the 200 body of every accepted event. */
export const caseViewSchema = z.object({
  id: z.string(),
  variant: z.object({ key: z.string(), version: z.number().int() }),
  phase: z.string(),
  state: z.union([z.string(), z.record(z.string(), z.unknown())]),
  allowedEvents: z.array(z.string()),
  caseworker: userRef,
  coordinators: z.array(userRef),
  participants: z.array(participantSchema),
  plan: z.object({ items: z.array(z.record(z.string(), z.unknown())), rejections: z.number().int() }),
  promises: z.array(promiseViewSchema),
  deadlines: z.array(deadlineViewSchema),
  nextMeetingAt: z.string().nullable(),
  closedReason: closeReasonSchema.nullable(),
  updatedAt: z.string(),
  lastSeq: z.number().int(),
});
export type CaseView = z.infer<typeof caseViewSchema>;
