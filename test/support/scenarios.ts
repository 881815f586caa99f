import type { Actor, CaseEvent, CommandType, PayloadOf } from '../../libs/contracts/src';
import {
  apply,
  builtInVariant,
  deadlinesOf,
  parseVariantConfig,
  start,
  type ApplyResult,
  type CaseSnapshot,
  type ConferenceConfig,
  type Deadline,
  type NetworkMappingConfig,
  type NetworkMeetingConfig,
  type VariantConfig,
} from '../../libs/process/src';

export const T0 = '2026-01-05T08:00:00.000Z';
export const DAY = 86_400_000;
export const at = (days: number, from = T0) => new Date(Date.parse(from) + days * DAY).toISOString();

export const CW = { sub: 'cw1', unit: 'north' };
export const actors: Record<'cw' | 'co' | 'co2' | 'system', Actor> = {
  cw: { sub: 'cw1', role: 'caseworker' },
  co: { sub: 'co1', role: 'coordinator' },
  co2: { sub: 'co2', role: 'coordinator' },
  system: { sub: 'system', role: 'system' },
};

export function ev<T extends CommandType>(
  type: T,
  payload: PayloadOf<T>,
  when: string,
  actor: Actor = actors.cw,
): CaseEvent {
  return { type, at: when, actor, payload } as CaseEvent;
}

export const family = [
  { id: 'child', name: 'Testi Lapsi', relation: 'child', side: 'family' as const },
  { id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' as const },
  { id: 'grandma', name: 'Testi Mummo', relation: 'grandmother', side: 'family' as const },
  { id: 'teacher', name: 'Testi Opettaja', relation: 'teacher', side: 'professional' as const },
];

export const agreement = {
  guardians: [{ name: 'Testi Äiti', consent: true as const }],
  childConsulted: true,
  concerns: ['school absences'],
  questions: ['who takes the child to school?'],
  professionals: [{ name: 'Testi Opettaja', organisation: 'School' }],
};

/** A conference case (fgc or acute) from opening up to presentation, as a list of events. */
export function conferenceUpToPresentation(config: VariantConfig, from = T0): CaseEvent[] {
  const acute = config.template === 'acute';
  const events: CaseEvent[] = [
    ev(
      'agreement.recorded',
      { ...agreement, ...(acute ? { crisis: 'emergency placement' } : {}) },
      at(0.1, from),
    ),
    ev('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }, at(1, from)),
  ];
  if (!acute) events.push(ev('coordinator.assigned', { coordinatorId: 'co2', unit: 'east' }, at(1, from)));
  events.push(
    ev('participants.mapped', { participants: family }, at(1.1, from), actors.co),
    ev(
      'supportPerson.appointed',
      { name: 'Testi Mummo', forParticipantId: 'child' },
      at(1.2, from),
      actors.co,
    ),
    ev(
      'summary.received',
      { professional: 'Testi Opettaja', organisation: 'School', disclosure: 'all' },
      at(1.3, from),
      actors.co,
    ),
    ev('meeting.scheduled', { at: at(2, from), place: 'Library' }, at(1.4, from), actors.co),
    ev('conference.opened', { attendees: ['child', 'mother', 'grandma'] }, at(2, from), actors.co),
    ev(
      'information.completed',
      { childWishes: 'to live at home', recordedBy: 'child' },
      at(2.05, from),
      actors.co,
    ),
    ev(
      'deliberation.completed',
      {
        plan: {
          items: [
            {
              what: 'grandma takes the child to school',
              owner: 'grandma',
              verifier: 'co1',
              dueAt: at(30, from),
            },
            { what: 'mother meets the teacher', owner: 'mother', verifier: 'teacher', dueAt: at(20, from) },
          ],
        },
      },
      at(2.1, from),
      actors.co,
    ),
  );
  return events;
}

export function foldAll(
  config: VariantConfig,
  events: readonly CaseEvent[],
  caseId = 'c_test',
): CaseSnapshot {
  let snapshot = start(config, { caseId, caseworker: CW, openedAt: T0 });
  for (const e of events) {
    const r = apply(config, snapshot, e);
    if ('rejected' in r) throw new Error(`${e.type} rejected: ${JSON.stringify(r.rejected)}`);
    snapshot = r.snapshot;
  }
  return snapshot;
}

export function rejectionOf(r: ApplyResult) {
  if (!('rejected' in r)) throw new Error('expected a rejection, got acceptance');
  return r.rejected;
}

export const fgc = () => builtInVariant('fgc');

// --- Added for the rule, view and variant-config unit tests (additions only; the exports above are shared). ---

/** The built-in variants, typed by their template so that their durations, counts and rules can be read. */
export const fgcConfig = () => builtInVariant('fgc') as ConferenceConfig;
export const acute = () => builtInVariant('acute') as ConferenceConfig;
export const networkMapping = () => builtInVariant('network-mapping') as NetworkMappingConfig;
export const networkMeeting = () => builtInVariant('network-meeting') as NetworkMeetingConfig;

/** The same event with another payload (for payloads that break a rule or the schema on purpose). */
export const withPayload = (event: CaseEvent, payload: unknown): CaseEvent =>
  ({ ...event, payload }) as CaseEvent;

/** A variant derived from another by editing a deep copy; validated like a publish (throws listing every problem). */
export function derived<T extends VariantConfig>(base: T, change: (draft: T) => void): T {
  const draft = structuredClone(base);
  change(draft);
  const parsed = parseVariantConfig(draft);
  if (!parsed.ok) throw new Error(`derived variant is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.config as T;
}

/** Applies events in order to a snapshot; throws on the first rejection. */
export function applyAll(
  config: VariantConfig,
  snapshot: CaseSnapshot,
  events: readonly CaseEvent[],
): CaseSnapshot {
  let current = snapshot;
  for (const e of events) {
    const r = apply(config, current, e);
    if ('rejected' in r) throw new Error(`${e.type} rejected: ${JSON.stringify(r.rejected)}`);
    current = r.snapshot;
  }
  return current;
}

/** Applies one event that must be accepted. */
export function accepted(
  config: VariantConfig,
  snapshot: CaseSnapshot,
  event: CaseEvent,
): Extract<ApplyResult, { snapshot: CaseSnapshot }> {
  const r = apply(config, snapshot, event);
  if ('rejected' in r) throw new Error(`${event.type} rejected: ${JSON.stringify(r.rejected)}`);
  return r;
}

export const opened = (config: VariantConfig, openedAt = T0): CaseSnapshot =>
  start(config, { caseId: 'c_test', caseworker: CW, openedAt });

/** The stamped timer event the workflow raises for a pending deadline step. */
export function timerEvent(
  deadline: Deadline,
  when = deadline.dueAt,
  actor: Actor = actors.system,
): CaseEvent {
  return { type: deadline.event.type, at: when, actor, payload: deadline.event.payload } as CaseEvent;
}

/** The pending deadline steps of one series (`kind`, `ref`), earliest first. */
export function seriesOf(
  config: VariantConfig,
  snapshot: CaseSnapshot,
  kind: Deadline['kind'],
  ref?: string,
): Deadline[] {
  return deadlinesOf(config, snapshot).filter((d) => d.kind === kind && (ref === undefined || d.ref === ref));
}

/** A conference case (fgc or acute) up to follow-up: the plan approved at day 2.2 (first follow-up by the default). */
export function conferenceUpToFollowUp(config: VariantConfig, from = T0): CaseEvent[] {
  return [...conferenceUpToPresentation(config, from), ev('plan.approved', {}, at(2.2, from))];
}

/** A review of one promise in `meeting.held`. */
export function reviewOf(
  promiseId: string,
  outcome: 'kept' | 'notKept' | 'dropped',
  extra: { note?: string; newSolution?: string } = {},
) {
  return { promiseId, outcome, ...extra };
}

/** The network of a promise-based network meeting (toiminnallinen verkostotyö): home, school, leisure. */
export const network = [
  { id: 'client', name: 'Testi Nuori', relation: 'client', side: 'family' as const },
  { id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' as const },
  { id: 'teacher', name: 'Testi Opettaja', relation: 'teacher', side: 'professional' as const },
  { id: 'coach', name: 'Testi Valmentaja', relation: 'football coach', side: 'professional' as const },
];

/** network-meeting: mapped and the first meeting scheduled on day 7 (phase `meeting`). */
export function networkMeetingUpToMeeting(from = T0): CaseEvent[] {
  return [
    ev('participants.mapped', { participants: network }, at(0.1, from)),
    ev('meeting.scheduled', { at: at(7, from), place: 'Youth centre' }, at(0.2, from)),
  ];
}

/** One promise per given owner, verified by the caseworker, due `dueDays` after T0. */
export function promisesBy(owners: readonly string[], dueDays = 21, from = T0) {
  return owners.map((owner) => ({
    what: `${owner} does one concrete thing`,
    owner,
    verifier: CW.sub,
    dueAt: at(dueDays, from),
  }));
}

/** network-meeting: the first meeting held on day 7 with a promise from every present participant; next meeting on day 35. */
export function networkMeetingFirstMeeting(from = T0): CaseEvent {
  const attendees = ['client', 'mother', 'teacher', CW.sub];
  return ev(
    'meeting.held',
    {
      attendees,
      reviews: [],
      newPromises: promisesBy(['client', 'mother', 'teacher'], 21, from),
      nextMeetingAt: at(35, from),
    },
    at(7, from),
  );
}

/** network-mapping: a leader from outside the case assigned, participants mapped, meeting on day 5 (phase `meeting`). */
export function networkMappingUpToMeeting(from = T0): CaseEvent[] {
  return [
    ev('coordinator.assigned', { coordinatorId: 'lead1', unit: 'south' }, at(0.1, from)),
    ev('participants.mapped', { participants: family }, at(0.2, from)),
    ev('meeting.scheduled', { at: at(5, from), place: 'Social station' }, at(0.3, from), actors.co),
  ];
}

/** Asserts that `r` is a refusal named `rule` that lists what the process would accept instead; returns it. */
export function refusedBy(r: ApplyResult, rule: string) {
  const rejection = rejectionOf(r);
  expect(rejection.rule).toBe(rule);
  expect(rejection.message).toEqual(expect.any(String));
  expect(Array.isArray(rejection.allowedEvents)).toBe(true);
  return rejection;
}
