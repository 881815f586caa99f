/**
 * apps/api/src/policy/policy.ts, table-driven: every role × every event of every built-in variant ×
 * assigned or not. The table below is the whole rule; the variant's `policies` say which roles may send
 * which event.
 */
import type { Principal } from '../../apps/api/src/auth/principal';
import {
  canSeeCase,
  canSendEvent,
  readsCases,
  visibleAs,
  type CaseFacts,
} from '../../apps/api/src/policy/policy';
import { roles, type Role } from '../../libs/contracts/src';
import {
  builtInVariant,
  builtInVariants,
  eventsOf,
  parseVariantConfig,
  type VariantConfig,
} from '../../libs/process/src';

/** A case of cw1 in unit north, with co1 (south) and co2 (east) assigned. */
const facts: CaseFacts = { caseworkerSub: 'cw1', unit: 'north', coordinatorSubs: ['co1', 'co2'] };

type Assignment = 'assigned' | 'unassigned';

/** For each role, a user who holds it with and without the assignment that counts for this case. */
const principals: Record<Role, Record<Assignment, Principal>> = {
  caseworker: {
    assigned: { sub: 'cw1', roles: ['caseworker'], unit: 'north' },
    unassigned: { sub: 'cw2', roles: ['caseworker'], unit: 'north' },
  },
  coordinator: {
    assigned: { sub: 'co1', roles: ['coordinator'], unit: 'south' },
    unassigned: { sub: 'co9', roles: ['coordinator'], unit: 'north' },
  },
  supervisor: {
    assigned: { sub: 'sup1', roles: ['supervisor'], unit: 'north' },
    unassigned: { sub: 'sup2', roles: ['supervisor'], unit: 'south' },
  },
  auditor: {
    assigned: { sub: 'aud1', roles: ['auditor'], unit: 'north' },
    unassigned: { sub: 'aud2', roles: ['auditor'], unit: 'elsewhere' },
  },
  admin: {
    assigned: { sub: 'adm1', roles: ['admin'], unit: 'north' },
    unassigned: { sub: 'adm2', roles: ['admin'], unit: 'south' },
  },
};

/** The rule: who sees the case, and whether the role's listed events are theirs to send. */
const table: { role: Role; assignment: Assignment; sees: boolean; sendsListed: boolean }[] = [
  { role: 'caseworker', assignment: 'assigned', sees: true, sendsListed: true },
  { role: 'caseworker', assignment: 'unassigned', sees: false, sendsListed: false },
  { role: 'coordinator', assignment: 'assigned', sees: true, sendsListed: true },
  { role: 'coordinator', assignment: 'unassigned', sees: false, sendsListed: false },
  { role: 'supervisor', assignment: 'assigned', sees: true, sendsListed: true },
  { role: 'supervisor', assignment: 'unassigned', sees: false, sendsListed: false },
  { role: 'auditor', assignment: 'assigned', sees: true, sendsListed: false },
  { role: 'auditor', assignment: 'unassigned', sees: true, sendsListed: false },
  { role: 'admin', assignment: 'assigned', sees: false, sendsListed: false },
  { role: 'admin', assignment: 'unassigned', sees: false, sendsListed: false },
];

/** fgc where supervisors may also close a case, and (against the schema) auditors and admins are listed. */
function withSupervisorAndReaders(): VariantConfig {
  const base = structuredClone(builtInVariant('fgc'));
  base.key = 'fgc-supervised';
  base.policies['case.closed'] = ['caseworker', 'supervisor'];
  const parsed = parseVariantConfig(base);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const config = parsed.config;
  (config.policies as Record<string, string[]>)['case.reopened'] = ['caseworker', 'auditor', 'admin'];
  return config;
}

const variants = [...builtInVariants, withSupervisorAndReaders()];

describe('policy: every role × event × assignment', () => {
  it('covers every role', () => {
    expect([...new Set(table.map((r) => r.role))].sort()).toEqual([...roles].sort());
  });

  describe.each(variants.map((v) => [v.key, v] as const))('%s', (_key, config) => {
    const events = [...eventsOf[config.template], 'no.such.event'];

    it.each(table)(
      '$role ($assignment): sees=$sees, sends the events listed for $role=$sendsListed',
      ({ role, assignment, sees, sendsListed }) => {
        const principal = principals[role][assignment];
        expect(canSeeCase(principal, facts)).toBe(sees);
        expect(visibleAs(principal, facts)).toBe(sees ? role : null);

        const listedFor = (event: string) =>
          ((config.policies as Record<string, string[] | undefined>)[event] ?? []).includes(role);
        const expected = Object.fromEntries(events.map((e) => [e, sendsListed && listedFor(e)]));
        const actual = Object.fromEntries(
          events.map((e) => [e, canSendEvent(principal, e, facts, config).allowed]),
        );
        expect(actual).toEqual(expected);

        for (const event of events) {
          const decision = canSendEvent(principal, event, facts, config);
          if (decision.allowed) expect(decision.role).toBe(role);
          else expect(decision.reason).toMatch(/\./);
        }
      },
    );
  });
});

describe('policy: principals with several roles', () => {
  const config = builtInVariant('fgc');

  it('sends through the role that is assigned, in the order the variant lists them', () => {
    const both: Principal = { sub: 'co1', roles: ['caseworker', 'coordinator'], unit: 'south' };
    // co1 is an assigned coordinator but not the caseworker of this case.
    expect(canSendEvent(both, 'plan.approved', facts, config).allowed).toBe(false);
    expect(canSendEvent(both, 'meeting.held', facts, config)).toEqual({ allowed: true, role: 'coordinator' });
    expect(canSendEvent(both, 'promise.made', facts, config)).toEqual({ allowed: true, role: 'coordinator' });
    const caseworkerToo: Principal = { sub: 'cw1', roles: ['coordinator', 'caseworker'], unit: 'north' };
    // promise.made lists coordinator first, but cw1 is not an assigned coordinator: the caseworker role counts.
    expect(canSendEvent(caseworkerToo, 'promise.made', facts, config)).toEqual({
      allowed: true,
      role: 'caseworker',
    });
  });

  it('reads through the first role that sees the case; an auditor role makes every case visible', () => {
    expect(visibleAs({ sub: 'x', roles: ['admin', 'auditor'], unit: 'it' }, facts)).toBe('auditor');
    expect(visibleAs({ sub: 'sup1', roles: ['coordinator', 'supervisor'], unit: 'north' }, facts)).toBe(
      'supervisor',
    );
    expect(visibleAs({ sub: 'co1', roles: ['supervisor', 'coordinator'], unit: 'south' }, facts)).toBe(
      'coordinator',
    );
  });

  it('leaves principals who are only admins without any case content', () => {
    expect(readsCases({ sub: 'a', roles: ['admin'], unit: 'it' })).toBe(false);
    for (const role of roles.filter((r) => r !== 'admin'))
      expect(readsCases({ sub: 'a', roles: ['admin', role], unit: 'it' })).toBe(true);
  });

  it('explains a refusal in one sentence naming who may send it', () => {
    const decision = canSendEvent(principals.coordinator.assigned, 'plan.approved', facts, config);
    expect(decision).toEqual({
      allowed: false,
      reason: "Only the case's caseworker may send plan.approved.",
    });
    expect(canSendEvent(principals.caseworker.assigned, 'planLetter.sent', facts, config)).toEqual({
      allowed: false,
      reason: 'No role may send planLetter.sent in fgc v1.',
    });
  });
});
