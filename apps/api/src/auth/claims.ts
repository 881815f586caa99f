import { z } from 'zod';
import { roleSchema } from '../../../../libs/contracts/src';
import type { Principal } from './principal';

/** The claims Neuvo relies on (contract.md); others an identity provider adds are ignored. */
export const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  roles: z.array(roleSchema).min(1),
  unit: z.string().min(1).max(200),
  exp: z.number(),
});

export function principalOf(payload: unknown): Principal | undefined {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return undefined;
  const { sub, roles, unit } = parsed.data;
  return { sub, roles: [...new Set(roles)], unit };
}
