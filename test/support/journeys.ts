import type { Actor, CaseView } from '../../libs/contracts/src';
import type { CaseHandle } from './temporal-stack';
import { agreement, family } from './scenarios';

const co: Actor = { sub: 'co1', role: 'coordinator' };
const cw: Actor = { sub: 'cw1', role: 'caseworker' };
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

/**
 * Drives a case of each built-in variant through the workflow from opening to closed. `now` is the
 * server's current time; payload times are set relative to it, since the workflow stamps event times.
 */
export const journeys: Record<string, (c: CaseHandle, now: number) => Promise<CaseView[]>> = {
  async fgc(c, now) {
    return [...(await conferenceToApproval(c, now, false)), ...(await followUpToClosure(c))];
  },
  async acute(c, now) {
    return [...(await conferenceToApproval(c, now, true)), ...(await followUpToClosure(c))];
  },
  async 'network-mapping'(c, now) {
    return [
      await c.send('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }),
      await c.send('participants.mapped', { participants: family }),
      await c.send('meeting.scheduled', { at: iso(now + DAY), place: 'Social station' }, co),
      await c.send(
        'meeting.held',
        {
          attendees: ['child', 'mother', 'grandma'],
          reviews: [],
          newPromises: [
            {
              what: 'grandma helps with homework',
              owner: 'grandma',
              verifier: 'cw1',
              dueAt: iso(now + 20 * DAY),
            },
          ],
          close: { reason: 'needsMet' },
        },
        co,
      ),
      await c.send('planLetter.sent', {}, co),
    ];
  },
  async 'network-meeting'(c, now) {
    const promiseFor = (owner: string, days: number) => ({
      what: `${owner} does one thing`,
      owner,
      verifier: 'cw1',
      dueAt: iso(now + days * DAY),
    });
    const views = [
      await c.send('participants.mapped', { participants: family }),
      await c.send('meeting.scheduled', { at: iso(now + DAY), place: 'Youth centre' }),
      await c.send('meeting.held', {
        attendees: ['mother', 'teacher'],
        reviews: [],
        newPromises: [promiseFor('mother', 10), promiseFor('teacher', 10)],
        nextMeetingAt: iso(now + 14 * DAY),
      }),
    ];
    const open = views.at(-1)!.promises.filter((p) => p.status === 'open');
    views.push(
      await c.send('meeting.held', {
        attendees: ['mother', 'teacher'],
        reviews: open.map((p) => ({ promiseId: p.id, outcome: 'kept' as const })),
        newPromises: [promiseFor('mother', 20), promiseFor('teacher', 20)],
        close: { reason: 'needsMet' },
      }),
    );
    return views;
  },
};

export async function conferenceToApproval(c: CaseHandle, now: number, acute: boolean): Promise<CaseView[]> {
  const views = [
    await c.send('agreement.recorded', { ...agreement, ...(acute ? { crisis: 'emergency placement' } : {}) }),
  ];
  views.push(await c.send('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }));
  if (!acute) views.push(await c.send('coordinator.assigned', { coordinatorId: 'co2', unit: 'east' }));
  views.push(
    await c.send('participants.mapped', { participants: family }, co),
    await c.send('supportPerson.appointed', { name: 'Testi Mummo', forParticipantId: 'child' }, co),
    await c.send(
      'summary.received',
      { professional: 'Testi Opettaja', organisation: 'School', disclosure: 'all' },
      co,
    ),
    await c.send('meeting.scheduled', { at: iso(now + DAY), place: 'Library' }, co),
    await c.send('conference.opened', { attendees: ['child', 'mother', 'grandma'] }, co),
    await c.send('information.completed', { childWishes: 'to live at home', recordedBy: 'child' }, co),
    await c.send(
      'deliberation.completed',
      {
        plan: {
          items: [
            {
              what: 'grandma takes the child to school',
              owner: 'grandma',
              verifier: 'co1',
              dueAt: iso(now + 30 * DAY),
            },
            {
              what: 'mother meets the teacher',
              owner: 'mother',
              verifier: 'teacher',
              dueAt: iso(now + 20 * DAY),
            },
          ],
        },
      },
      co,
    ),
    await c.send('plan.approved', { firstFollowUpAt: iso(now + 56 * DAY) }, cw),
  );
  return views;
}

export async function followUpToClosure(c: CaseHandle): Promise<CaseView[]> {
  const open = (await c.view()).promises.filter((p) => p.status === 'open');
  return [
    await c.send(
      'meeting.held',
      {
        attendees: ['child', 'mother', 'grandma'],
        reviews: open.map((p) => ({ promiseId: p.id, outcome: 'kept' as const })),
        newPromises: [],
        close: { reason: 'needsMet' },
      },
      co,
    ),
  ];
}
