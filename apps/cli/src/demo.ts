import type { Role } from '../../../libs/contracts/src';
import { builtInVariant } from '../../../libs/process/src';
import { call, type ClientOptions } from './api-client';

/** The demo users: obviously fictional, one per role. */
export const demoUsers: { sub: string; roles: Role[]; unit: string }[] = [
  { sub: 'cw1', roles: ['caseworker'], unit: 'north' },
  { sub: 'co1', roles: ['coordinator'], unit: 'south' },
  { sub: 'co2', roles: ['coordinator'], unit: 'east' },
  { sub: 'sup1', roles: ['supervisor'], unit: 'north' },
  { sub: 'aud1', roles: ['auditor'], unit: 'central' },
  { sub: 'adm1', roles: ['admin'], unit: 'central' },
];

const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const family = [
  { id: 'child', name: 'Demo Lapsi', relation: 'child', side: 'family' },
  { id: 'mother', name: 'Demo Äiti', relation: 'mother', side: 'family' },
  { id: 'grandma', name: 'Demo Mummo', relation: 'grandmother', side: 'family' },
  { id: 'teacher', name: 'Demo Opettaja', relation: 'teacher', side: 'professional' },
];
const agreement = {
  guardians: [{ name: 'Demo Äiti', consent: true }],
  childConsulted: true,
  concerns: ['school absences'],
  questions: ['who takes the child to school in the mornings?'],
  professionals: [{ name: 'Demo Opettaja', organisation: 'Demo School' }],
};

/**
 * A handful of cases of every built-in variant in different phases, with promises due, kept and (in the
 * seconds-scale drill variant `fgc-drill`) lapsing within a minute, so the inbox, escalations and audit
 * views have something to show. Everything goes through the public API.
 */
export async function seedDemo(api: string, log: (line: string) => void): Promise<string[]> {
  const as = (sub: string) => {
    const u = demoUsers.find((x) => x.sub === sub)!;
    return { api, as: `${u.sub}:${u.roles.join(',')}:${u.unit}` } satisfies ClientOptions;
  };
  const cw = as('cw1');
  const co = as('co1');
  const open = async (variant: string) => (await call<{ id: string }>(cw, 'POST', '/cases', { variant })).id;
  const send = (who: ClientOptions, id: string, type: string, payload: object) =>
    call(who, 'POST', `/cases/${id}/events`, { type, ...payload });
  const ids: string[] = [];

  const prepare = async (
    variant: 'fgc' | 'acute' | 'fgc-drill',
    upTo: 'coordinators' | 'information' | 'followUp',
  ) => {
    const id = await open(variant);
    ids.push(id);
    await send(cw, id, 'agreement.recorded', {
      ...agreement,
      ...(variant === 'acute' ? { crisis: 'demo: emergency placement' } : {}),
    });
    await send(cw, id, 'coordinator.assigned', { coordinatorId: 'co1', unit: 'south' });
    if (variant !== 'acute')
      await send(cw, id, 'coordinator.assigned', { coordinatorId: 'co2', unit: 'east' });
    if (upTo === 'coordinators') return id;
    await send(co, id, 'participants.mapped', { participants: family });
    await send(co, id, 'supportPerson.appointed', { name: 'Demo Mummo', forParticipantId: 'child' });
    await send(co, id, 'summary.received', {
      professional: 'Demo Opettaja',
      organisation: 'Demo School',
      disclosure: 'partial',
    });
    await send(co, id, 'meeting.scheduled', { at: iso(DAY), place: 'Demo library, room 2' });
    await send(co, id, 'conference.opened', { attendees: ['child', 'mother', 'grandma', 'teacher'] });
    if (upTo === 'information') return id;
    await send(co, id, 'information.completed', {
      childWishes: 'to keep living at home',
      recordedBy: 'child',
    });
    const soon = variant === 'fgc-drill' ? 10_000 : 3 * DAY;
    await send(co, id, 'deliberation.completed', {
      plan: {
        items: [
          {
            what: 'grandma takes the child to school on Mondays',
            owner: 'grandma',
            verifier: 'co1',
            dueAt: iso(soon),
          },
          { what: 'mother meets the teacher', owner: 'mother', verifier: 'teacher', dueAt: iso(10 * DAY) },
          {
            what: 'the school reports absences weekly',
            owner: 'teacher',
            verifier: 'cw1',
            dueAt: iso(20 * DAY),
          },
        ],
      },
    });
    await send(cw, id, 'plan.approved', {});
    return id;
  };

  log('demo: fgc cases in preparation, information and follow-up');
  await prepare('fgc', 'coordinators');
  await prepare('fgc', 'information');
  const followUp = await prepare('fgc', 'followUp');
  await send(co, followUp, 'promise.kept', { promiseId: 'p3', note: 'weekly reports started' });
  const closing = await prepare('fgc', 'followUp');
  await send(co, closing, 'meeting.held', {
    attendees: ['child', 'mother', 'grandma'],
    reviews: [
      { promiseId: 'p1', outcome: 'kept' },
      { promiseId: 'p2', outcome: 'kept' },
      { promiseId: 'p3', outcome: 'dropped', note: 'no longer needed' },
    ],
    newPromises: [],
    close: { reason: 'needsMet' },
  });

  log('demo: an acute conference');
  await prepare('acute', 'information');

  log('demo: a network-mapping meeting waiting for its plan letter');
  const mapping = await open('network-mapping');
  ids.push(mapping);
  await send(cw, mapping, 'coordinator.assigned', { coordinatorId: 'co1', unit: 'south' });
  await send(cw, mapping, 'participants.mapped', { participants: family });
  await send(co, mapping, 'meeting.scheduled', { at: iso(DAY), place: 'Demo social station' });
  await send(co, mapping, 'meeting.held', {
    attendees: ['mother', 'grandma'],
    reviews: [],
    newPromises: [
      {
        what: 'grandma helps with homework on Wednesdays',
        owner: 'grandma',
        verifier: 'cw1',
        dueAt: iso(14 * DAY),
      },
    ],
    close: { reason: 'needsMet' },
  });

  log('demo: a promise-based network meeting in its action period');
  const meeting = await open('network-meeting');
  ids.push(meeting);
  await send(cw, meeting, 'participants.mapped', { participants: family });
  await send(cw, meeting, 'meeting.scheduled', { at: iso(DAY), place: 'Demo youth centre' });
  await send(cw, meeting, 'meeting.held', {
    attendees: ['mother', 'teacher'],
    reviews: [],
    newPromises: [
      { what: 'mother books a doctor’s appointment', owner: 'mother', verifier: 'cw1', dueAt: iso(2 * DAY) },
      { what: 'teacher arranges remedial lessons', owner: 'teacher', verifier: 'cw1', dueAt: iso(6 * DAY) },
    ],
    nextMeetingAt: iso(14 * DAY),
  });
  await send(cw, meeting, 'promise.kept', { promiseId: 'p2' });

  log('demo: fgc-drill, a seconds-scale copy of fgc whose first promise lapses within a minute');
  const drill = { ...structuredClone(builtInVariant('fgc')), key: 'fgc-drill' } as Record<string, unknown>;
  delete drill.version;
  drill.labels = { fi: 'Harjoitus (sekunteja)', sv: 'Övning (sekunder)', en: 'Drill (seconds)' };
  drill.escalation = [
    { after: 'PT0S', level: 'reminder', notify: ['owner', 'verifier'] },
    { after: 'PT20S', level: 'lapsed', notify: ['caseworker'] },
    { after: 'PT40S', level: 'coordinator', notify: ['coordinators'] },
    { after: 'PT60S', level: 'supervisor', notify: ['supervisor'] },
  ];
  await call(co, 'POST', '/variants/fgc-drill/versions', drill);
  await prepare('fgc-drill', 'followUp');
  return ids;
}
