/**
 * `GET /tasks` over HTTP against the whole stack. A drill variant (fgc with a ladder of days, one
 * coordinator) puts every kind of task within the 7-day horizon without waiting for any timer.
 */
import { addDuration, builtInVariant } from '../../libs/process/src';
import { agreement, family } from '../support/scenarios';
import {
  apiStack,
  requirePostgresInCi,
  testDatabases,
  users,
  type ApiStack,
  type TestUser,
} from '../support/api-stack';

jest.setTimeout(240_000);

requirePostgresInCi();

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** fgc with one coordinator and a ladder of days: reminder at due, lapsed +1d, coordinators +2d, supervisor +3d. */
function drillConfig() {
  const {
    key: _key,
    version: _version,
    ...rest
  } = builtInVariant('fgc') as unknown as Record<string, unknown> & {
    counts: Record<string, number>;
  };
  return {
    ...rest,
    counts: { ...rest.counts, coordinatorsRequired: 1 },
    escalation: [
      { after: 'P0D', level: 'reminder', notify: ['owner', 'verifier'] },
      { after: 'P1D', level: 'lapsed', notify: ['caseworker'] },
      { after: 'P2D', level: 'coordinator', notify: ['coordinators'] },
      { after: 'P3D', level: 'supervisor', notify: ['supervisor'] },
    ],
  };
}

describe.each(testDatabases().map((d) => [d.name, d] as const))('GET /tasks on %s', (_name, database) => {
  let stack: ApiStack;
  beforeAll(async () => {
    stack = await apiStack(database);
  });
  afterAll(() => stack?.stop());

  const call = (method: string, path: string, as?: TestUser | string, body?: unknown) =>
    stack.request(method, path, { as, body });
  const line = (t: { kind: string; caseId: string; ref: string; dueAt: string }) =>
    `${t.kind} ${t.caseId} ${t.ref} ${t.dueAt}`;

  async function inbox(user: TestUser): Promise<string[]> {
    const answer = await call('GET', '/tasks', user);
    expect(answer.status).toBe(200);
    expect(answer.json.nextCursor).toBeNull();
    return answer.json.items.map(line);
  }

  async function send(id: string, user: TestUser, body: Record<string, unknown>) {
    const answer = await call('POST', `/cases/${id}/events`, user, body);
    expect({
      type: body.type,
      status: answer.status,
      body: answer.status === 200 ? undefined : answer.json,
    }).toEqual({
      type: body.type,
      status: 200,
      body: undefined,
    });
    return answer.json as { updatedAt: string; phase: string };
  }

  it('approval, due and lapsing promises, the next meeting and role-addressed escalations, per user', async () => {
    const published = await call('POST', '/variants/fgc-drill/versions', users.co1, drillConfig());
    expect(published.status).toBe(201);

    const opened = await call('POST', '/cases', users.cw1, { variant: 'fgc-drill' });
    expect(opened.status).toBe(201);
    const id = opened.json.id as string;
    const now = Date.now();
    const p1Due = iso(now + DAY);
    const meetingAt = iso(now + 5 * DAY);

    await send(id, users.cw1, { type: 'agreement.recorded', ...agreement });
    await send(id, users.cw1, { type: 'coordinator.assigned', coordinatorId: 'co1', unit: 'south' });
    await send(id, users.co1, { type: 'participants.mapped', participants: family });
    await send(id, users.co1, {
      type: 'supportPerson.appointed',
      name: 'Testi Mummo',
      forParticipantId: 'child',
    });
    await send(id, users.co1, {
      type: 'summary.received',
      professional: 'Testi Opettaja',
      organisation: 'School',
      disclosure: 'all',
    });
    await send(id, users.co1, { type: 'meeting.scheduled', at: iso(now + DAY), place: 'Library' });
    await send(id, users.co1, { type: 'conference.opened', attendees: ['child', 'mother', 'grandma'] });
    await send(id, users.co1, {
      type: 'information.completed',
      childWishes: 'to live at home',
      recordedBy: 'child',
    });
    const presented = await send(id, users.co1, {
      type: 'deliberation.completed',
      plan: {
        items: [
          { what: 'mother meets the teacher', owner: 'mother', verifier: 'co1', dueAt: p1Due },
          {
            what: 'grandma takes the child to school',
            owner: 'grandma',
            verifier: 'teacher',
            dueAt: iso(now + 10 * DAY),
          },
        ],
      },
    });
    expect(presented.phase).toBe('presentation');

    expect(await inbox(users.cw1)).toEqual([`approval ${id} plan ${presented.updatedAt}`]);
    for (const other of [users.co1, users.supNorth, users.cw2, users.auditor])
      expect(await inbox(other)).toEqual([]);

    await send(id, users.cw1, { type: 'plan.approved', firstFollowUpAt: meetingAt });

    expect(await inbox(users.cw1)).toEqual([
      `promiseDue ${id} p1 ${p1Due}`,
      `escalation ${id} p1 ${addDuration(p1Due, 'P1D')}`,
      `meetingSoon ${id} ${meetingAt} ${meetingAt}`,
    ]);
    expect(await inbox(users.co1)).toEqual([
      `promiseDue ${id} p1 ${p1Due}`,
      `escalation ${id} p1 ${addDuration(p1Due, 'P2D')}`,
      `meetingSoon ${id} ${meetingAt} ${meetingAt}`,
    ]);
    // role:supervisor@north reaches every supervisor of unit north, and nobody else.
    expect(await inbox(users.supNorth)).toEqual([`escalation ${id} p1 ${addDuration(p1Due, 'P3D')}`]);
    expect(await inbox({ sub: 'sup9', roles: ['supervisor'], unit: 'north' })).toEqual([
      `escalation ${id} p1 ${addDuration(p1Due, 'P3D')}`,
    ]);
    for (const other of [users.supSouth, users.cw2, users.co2, users.auditor, users.admin])
      expect(await inbox(other)).toEqual([]);

    const first = await call('GET', '/tasks?limit=2', users.cw1);
    expect(first.json.items).toHaveLength(2);
    const second = await call('GET', `/tasks?limit=2&cursor=${first.json.nextCursor}`, users.cw1);
    expect([...first.json.items, ...second.json.items].map(line)).toEqual(await inbox(users.cw1));
    expect(second.json.nextCursor).toBeNull();
  });

  it('401 without a token; 400 naming a bad limit or cursor', async () => {
    expect((await call('GET', '/tasks')).status).toBe(401);
    const bad = await call('GET', '/tasks?limit=abc', users.cw1);
    expect(bad.status).toBe(400);
    expect(bad.json.details.map((d: { path: string }) => d.path)).toEqual(['limit']);
    const badCursor = await call('GET', '/tasks?cursor=zz', users.cw1);
    expect(badCursor.status).toBe(400);
    expect(badCursor.json.details).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });
});
