import { z } from 'zod';
import { isoTime } from './time';
import { actorSchema } from './roles';

const text = z.string().trim().min(1).max(4000);
const id = z.string().trim().min(1).max(200);

/** A concrete promise (lupaus): what, who does it, who checks it, by when. */
export const promiseInputSchema = z.strictObject({ what: text, owner: id, verifier: id, dueAt: isoTime });
export type PromiseInput = z.infer<typeof promiseInputSchema>;

export const participantSchema = z.strictObject({
  id,
  name: text,
  relation: text,
  side: z.enum(['family', 'professional']),
});
export type Participant = z.infer<typeof participantSchema>;

export const closeReasons = ['needsMet', 'noAgreement', 'moved', 'declined', 'other'] as const;
export const closeReasonSchema = z.enum(closeReasons);
export type CloseReason = z.infer<typeof closeReasonSchema>;

export const reviewSchema = z.strictObject({
  promiseId: id,
  outcome: z.enum(['kept', 'notKept', 'dropped']),
  note: text.optional(),
  newSolution: text.optional(),
});
export type Review = z.infer<typeof reviewSchema>;

/** Payload of every event a user may send (contract.md "Events"). */
export const commandPayloads = {
  'agreement.recorded': z.strictObject({
    guardians: z.array(z.strictObject({ name: text, consent: z.literal(true) })).min(1),
    childConsulted: z.boolean(),
    concerns: z.array(text).min(1),
    questions: z.array(text).min(1),
    professionals: z.array(z.strictObject({ name: text, organisation: text })),
    crisis: text.optional(),
  }),
  'coordinator.assigned': z.strictObject({ coordinatorId: id, unit: id }),
  'participants.mapped': z.strictObject({
    participants: z
      .array(participantSchema)
      .min(1)
      .refine((ps) => ps.some((p) => p.side === 'family'), { message: 'needs at least one family member' })
      .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, { message: 'participant ids must be unique' }),
  }),
  'supportPerson.appointed': z.strictObject({ name: text, forParticipantId: id }),
  'summary.received': z.strictObject({
    professional: text,
    organisation: text,
    disclosure: z.enum(['all', 'partial', 'none']),
    oral: z.boolean().optional(),
  }),
  'meeting.scheduled': z.strictObject({ at: isoTime, place: text }),
  'conference.opened': z.strictObject({ attendees: z.array(id).min(1) }),
  'information.completed': z.strictObject({ childWishes: text, recordedBy: z.enum(['child', 'supportPerson']) }),
  'deliberation.completed': z.strictObject({
    plan: z.strictObject({ items: z.array(promiseInputSchema).min(1) }),
  }),
  'deliberation.failed': z.strictObject({ reason: text }),
  'plan.approved': z.strictObject({ firstFollowUpAt: isoTime.optional() }),
  'plan.rejected': z.strictObject({ reasons: z.array(text).min(1) }),
  'meeting.held': z
    .strictObject({
      attendees: z.array(id).min(1),
      reviews: z.array(reviewSchema),
      newPromises: z.array(promiseInputSchema),
      nextMeetingAt: isoTime.optional(),
      close: z.strictObject({ reason: closeReasonSchema, note: text.optional() }).optional(),
    })
    .refine((m) => (m.nextMeetingAt === undefined) !== (m.close === undefined), {
      message: 'give exactly one of nextMeetingAt or close',
      path: ['nextMeetingAt'],
    }),
  'planLetter.sent': z.strictObject({ note: text.optional() }),
  'promise.made': promiseInputSchema,
  'promise.kept': z.strictObject({ promiseId: id, note: text.optional() }),
  'promise.notKept': z.strictObject({ promiseId: id, newSolution: text.optional() }),
  'case.closed': z.strictObject({ reason: closeReasonSchema, note: text.optional() }),
  'case.reopened': z.strictObject({ reason: text }),
} as const;

export type CommandType = keyof typeof commandPayloads;
export const commandTypes = Object.keys(commandPayloads) as CommandType[];

const recipients = z.array(id).min(1);
const level = z.string().min(1);

/** Payloads of events that only the workflow raises. */
export const timerPayloads = {
  'reminder.sent': z.strictObject({ promiseId: id.optional(), meetingAt: isoTime.optional(), recipients }),
  'escalation.raised': z.strictObject({
    promiseId: id.optional(),
    meetingAt: isoTime.optional(),
    deadline: id.optional(),
    level,
    recipients,
  }),
  'deadline.reached': z.strictObject({ kind: id, ref: id }),
} as const;

export type TimerType = keyof typeof timerPayloads;
export const timerTypes = Object.keys(timerPayloads) as TimerType[];

export const caseOpenedPayload = z.strictObject({
  variant: z.string(),
  version: z.number().int().min(1),
  caseworker: z.strictObject({ sub: id, unit: id }),
});

export const allPayloads = { ...commandPayloads, ...timerPayloads, 'case.opened': caseOpenedPayload } as const;
export type EventType = keyof typeof allPayloads;
export type PayloadOf<T extends EventType> = z.output<(typeof allPayloads)[T]>;

/** An event as the process sees it: stamped with time and actor by the server, never by a client. */
export type CaseEvent = {
  [T in EventType]: { type: T; at: string; actor: z.infer<typeof actorSchema>; payload: PayloadOf<T> };
}[EventType];
export type CommandEvent = Extract<CaseEvent, { type: CommandType }>;
export type TimerEvent = Extract<CaseEvent, { type: TimerType }>;

const envelope = <T extends EventType>(type: T) =>
  z.strictObject({ type: z.literal(type), at: isoTime, actor: actorSchema, payload: allPayloads[type] });

/** Parses a stamped event of any type (as stored in the audit log). */
export const caseEventSchema = z.discriminatedUnion(
  'type',
  (Object.keys(allPayloads) as EventType[]).map(envelope) as unknown as [
    ReturnType<typeof envelope>,
    ...ReturnType<typeof envelope>[],
  ],
);

/** Parses an HTTP command body `{ type, ...payload }` into `{ type, payload }`. */
export function parseCommandBody(
  body: unknown,
): { ok: true; type: CommandType; payload: unknown } | { ok: false; problems: { path: string; message: string }[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [{ path: '', message: 'body must be a JSON object' }] };
  }
  const { type, ...rest } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !(commandTypes as string[]).includes(type)) {
    return {
      ok: false,
      problems: [{ path: 'type', message: `must be one of ${commandTypes.join(', ')}` }],
    };
  }
  const parsed = commandPayloads[type as CommandType].safeParse(rest);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  return { ok: true, type: type as CommandType, payload: parsed.data };
}

/** Every problem of a zod error as `{ path, message }`, never only the first. */
export function problemsOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
