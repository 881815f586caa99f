import { z } from 'zod';
import { closeReasonSchema, commandTypes, problemsOf } from '../../contracts/src';
import { isZero, parseDuration } from './duration';
import { eventsOf, templates, type Template } from './templates';

const DURATION_PATTERN =
  '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d{1,3})?S)?)?$';

/** An ISO-8601 duration; `positive` rejects a zero length. */
const duration = (positive: boolean) =>
  z
    .string()
    .regex(new RegExp(DURATION_PATTERN), 'must be an ISO-8601 duration such as P42D, PT72H or PT5S')
    .refine((s) => !positive || !isZeroDuration(s), { message: 'must be longer than zero' })
    .refine((s) => (parseDuration(s)?.ms ?? 0) % 1000 === 0, { message: 'must be whole seconds' });

/** Only a well-formed zero length is "zero"; a malformed string already has its own problem. */
function isZeroDuration(s: string): boolean {
  const d = parseDuration(s);
  return d !== null && isZero(d);
}

const positive = duration(true);
const label = z.string().trim().min(1).max(200);

/** Roles that may send events; auditors and admins never change a case. */
const sendingRole = z.enum(['coordinator', 'caseworker', 'supervisor']);

const recipientKinds = ['owner', 'verifier', 'caseworker', 'coordinators', 'supervisor'] as const;
export const escalationLevels = ['reminder', 'lapsed', 'coordinator', 'supervisor'] as const;

const escalationStep = z.strictObject({
  after: duration(false),
  level: z.enum(escalationLevels),
  notify: z.array(z.enum(recipientKinds)).min(1),
});
export type EscalationStep = z.infer<typeof escalationStep>;

const common = {
  key: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be kebab-case, e.g. fgc or network-meeting'),
  version: z.number().int().min(1),
  labels: z.strictObject({ fi: label, sv: label, en: label }),
  policies: z.partialRecord(z.enum(commandTypes as [string, ...string[]]), z.array(sendingRole).min(1)),
  escalation: z.array(escalationStep).min(1),
};

const conference = z.strictObject({
  ...common,
  template: z.enum(['fgc', 'acute']),
  durations: z.strictObject({
    conferenceWithin: positive,
    firstFollowUpAfter: positive,
    meetingReminderBefore: positive,
    meetingGrace: positive,
  }),
  counts: z.strictObject({
    coordinatorsRequired: z.number().int().min(1).max(5),
    maxRejectionRounds: z.number().int().min(0).max(10),
  }),
  rules: z.strictObject({
    coordinatorFromOtherUnit: z.boolean(),
    crisisRequired: z.boolean(),
    oralSummariesAllowed: z.boolean(),
    supportPersonRequired: z.boolean(),
  }),
});

const networkMapping = z.strictObject({
  ...common,
  template: z.literal('network-mapping'),
  durations: z.strictObject({
    planLetterWithin: positive,
    meetingReminderBefore: positive,
    meetingGrace: positive,
  }),
  counts: z.strictObject({ leadersRequired: z.number().int().min(1).max(3) }),
});

const networkMeeting = z.strictObject({
  ...common,
  template: z.literal('network-meeting'),
  durations: z.strictObject({ meetingReminderBefore: positive, meetingGrace: positive }),
  rules: z.strictObject({ promisePerPresentParticipant: z.boolean() }),
  closeReasons: z.array(closeReasonSchema).min(1),
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Cross-field rules no single field can state. They run even when other fields are malformed (so that
 * "400 lists every problem at once" holds), hence the input is read defensively.
 */
function checkWhole(config: unknown, ctx: z.RefinementCtx) {
  if (!isRecord(config)) return;
  const { template, policies, escalation } = config;
  const known = typeof template === 'string' && template in eventsOf ? eventsOf[template as Template] : null;
  if (known && isRecord(policies)) {
    for (const type of Object.keys(policies)) {
      // A type that is no event at all is already reported by the policies field itself.
      if ((commandTypes as string[]).includes(type) && !known.includes(type as never)) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', type],
          message: `the ${template} template has no event ${type}`,
        });
      }
    }
    for (const type of known) {
      if (!(type in policies)) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', type],
          message: 'every event of the template needs the roles that may send it',
        });
      }
    }
  }
  if (!Array.isArray(escalation)) return;
  const seen = new Set<unknown>();
  let previous = -1;
  escalation.forEach((step: unknown, i) => {
    if (!isRecord(step)) return;
    if (typeof step.level === 'string') {
      if (seen.has(step.level))
        ctx.addIssue({
          code: 'custom',
          path: ['escalation', i, 'level'],
          message: `level ${step.level} appears twice`,
        });
      seen.add(step.level);
    }
    const ms = typeof step.after === 'string' ? offsetMs(step.after) : null;
    if (ms === null) return;
    if (ms < previous)
      ctx.addIssue({
        code: 'custom',
        path: ['escalation', i, 'after'],
        message: 'steps must come in time order',
      });
    previous = ms;
  });
}

/** Runs `checkWhole` even after other problems, which zod would otherwise skip. */
const always = { when: () => true };

/** Rough length for ordering ladder steps only (months as 30 days); due times use exact calendar arithmetic. */
function offsetMs(text: string): number | null {
  const d = parseDuration(text);
  if (!d) return null;
  return (d.years * 365 + d.months * 30 + d.days) * 86_400_000 + d.ms;
}

const byTemplate = {
  fgc: conference.superRefine(checkWhole, always),
  acute: conference.superRefine(checkWhole, always),
  'network-mapping': networkMapping.superRefine(checkWhole, always),
  'network-meeting': networkMeeting.superRefine(checkWhole, always),
} as const;

/** One variant version (contract.md "Variant config"). */
export const variantConfigSchema = z
  .discriminatedUnion('template', [conference, networkMapping, networkMeeting])
  .superRefine(checkWhole, always);
export type VariantConfig = z.infer<typeof variantConfigSchema>;
export type ConferenceConfig = Extract<VariantConfig, { template: 'fgc' | 'acute' }>;
export type NetworkMappingConfig = Extract<VariantConfig, { template: 'network-mapping' }>;
export type NetworkMeetingConfig = Extract<VariantConfig, { template: 'network-meeting' }>;

export interface Problem {
  path: string;
  message: string;
}

/**
 * Validates a variant config and lists every problem at once. When the template itself is wrong, the
 * fields every template shares are still checked so that no problem hides behind another.
 */
export function parseVariantConfig(
  input: unknown,
): { ok: true; config: VariantConfig } | { ok: false; problems: Problem[] } {
  const template = (input as { template?: unknown } | null)?.template;
  const schema =
    typeof template === 'string' && template in byTemplate ? byTemplate[template as Template] : null;
  if (schema) {
    const result = schema.safeParse(input);
    return result.success
      ? { ok: true, config: result.data as VariantConfig }
      : { ok: false, problems: problemsOf(result.error) };
  }
  const loose = z
    .looseObject({ ...common, template: z.enum(templates) })
    .superRefine(checkWhole, always)
    .safeParse(input);
  return { ok: false, problems: loose.success ? [] : problemsOf(loose.error) };
}

/** The JSON Schema of a variant config, generated from the zod schema (served at GET /variants/schema). */
export function variantJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(z.discriminatedUnion('template', [conference, networkMapping, networkMeeting]), {
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}
