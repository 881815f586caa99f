import type { Actor, CaseEvent, CommandType, PayloadOf } from '../../libs/contracts/src';
import { apply, builtInVariant, start, type ApplyResult, type CaseSnapshot, type VariantConfig } from '../../libs/process/src';

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

export function ev<T extends CommandType>(type: T, payload: PayloadOf<T>, when: string, actor: Actor = actors.cw): CaseEvent {
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
    ev('agreement.recorded', { ...agreement, ...(acute ? { crisis: 'emergency placement' } : {}) }, at(0.1, from)),
    ev('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }, at(1, from)),
  ];
  if (!acute) events.push(ev('coordinator.assigned', { coordinatorId: 'co2', unit: 'east' }, at(1, from)));
  events.push(
    ev('participants.mapped', { participants: family }, at(1.1, from), actors.co),
    ev('supportPerson.appointed', { name: 'Testi Mummo', forParticipantId: 'child' }, at(1.2, from), actors.co),
    ev('summary.received', { professional: 'Testi Opettaja', organisation: 'School', disclosure: 'all' }, at(1.3, from), actors.co),
    ev('meeting.scheduled', { at: at(2, from), place: 'Library' }, at(1.4, from), actors.co),
    ev('conference.opened', { attendees: ['child', 'mother', 'grandma'] }, at(2, from), actors.co),
    ev('information.completed', { childWishes: 'to live at home', recordedBy: 'child' }, at(2.05, from), actors.co),
    ev(
      'deliberation.completed',
      {
        plan: {
          items: [
            { what: 'grandma takes the child to school', owner: 'grandma', verifier: 'co1', dueAt: at(30, from) },
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

export function foldAll(config: VariantConfig, events: readonly CaseEvent[], caseId = 'c_test'): CaseSnapshot {
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
