/**
 * Who may see a case and who may send which event: the one place for these rules. Pure functions over
 * the principal, the case's assignment and the pinned variant's `policies`.
 */
import type { Role } from '../../../../libs/contracts/src';
import type { VariantConfig } from '../../../../libs/process/src';
import type { Principal } from '../auth/principal';

/** What the policy needs to know about a case: who is assigned to it and which unit it belongs to. */
export interface CaseFacts {
  caseworkerSub: string;
  /** The case's unit: its caseworker's unit (contract.md). */
  unit: string;
  coordinatorSubs: readonly string[];
}

/** A role counts for a case only with its assignment; auditors read every case, admins none. */
const assigned: Record<Role, (principal: Principal, facts: CaseFacts) => boolean> = {
  caseworker: (p, f) => f.caseworkerSub === p.sub,
  coordinator: (p, f) => f.coordinatorSubs.includes(p.sub),
  supervisor: (p, f) => f.unit === p.unit,
  auditor: () => true,
  admin: () => false,
};

/** Roles that may change a case; auditors and admins never do, whatever a variant says. */
const sendingRoles: readonly Role[] = ['caseworker', 'coordinator', 'supervisor'];
/** The order in which a read is attributed to a role (for the access log). */
const readingOrder: readonly Role[] = ['caseworker', 'coordinator', 'supervisor', 'auditor'];

/** The role through which the principal sees the case, or null (the case is then "not found" for them). */
export function visibleAs(principal: Principal, facts: CaseFacts): Role | null {
  return (
    readingOrder.find((role) => principal.roles.includes(role) && assigned[role](principal, facts)) ?? null
  );
}

export function canSeeCase(principal: Principal, facts: CaseFacts): boolean {
  return visibleAs(principal, facts) !== null;
}

/** Whether the principal may read any case content at all (admins alone may not). */
export function readsCases(principal: Principal): boolean {
  return principal.roles.some((role) => readingOrder.includes(role));
}

export type SendDecision = { allowed: true; role: Role } | { allowed: false; reason: string };

/**
 * Whether the principal may send `eventType` to this case: a role listed for the event in the variant's
 * policies, held by the principal, with its assignment (the case's caseworker, an assigned coordinator,
 * the supervisor of the case's unit). The matched role becomes the actor's role in the history.
 */
export function canSendEvent(
  principal: Principal,
  eventType: string,
  facts: CaseFacts,
  config: VariantConfig,
): SendDecision {
  const listed = (config.policies as Partial<Record<string, readonly Role[]>>)[eventType] ?? [];
  const role = listed.find(
    (r) => sendingRoles.includes(r) && principal.roles.includes(r) && assigned[r](principal, facts),
  );
  if (role) return { allowed: true, role };
  if (listed.length === 0)
    return { allowed: false, reason: `No role may send ${eventType} in ${config.key} v${config.version}.` };
  return { allowed: false, reason: `Only ${describe(listed)} may send ${eventType}.` };
}

const nouns: Record<Role, string> = {
  caseworker: "the case's caseworker",
  coordinator: 'an assigned coordinator',
  supervisor: "a supervisor of the case's unit",
  auditor: 'an auditor',
  admin: 'an admin',
};

function describe(roles: readonly Role[]): string {
  const names = roles.map((r) => nouns[r]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? 'nobody');
}
