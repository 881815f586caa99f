import { z } from 'zod';

/** Roles a user can hold (contract.md "Starting, ports and tokens"). */
export const roles = ['coordinator', 'caseworker', 'supervisor', 'auditor', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Who did something: a user acting in one role, or the workflow itself. */
export const actorSchema = z.strictObject({
  sub: z.string().min(1).max(200),
  role: z.union([roleSchema, z.literal('system')]),
});
export type Actor = z.infer<typeof actorSchema>;

export const SYSTEM_ACTOR: Actor = { sub: 'system', role: 'system' };
