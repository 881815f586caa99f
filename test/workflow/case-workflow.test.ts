import { temporal } from '@temporalio/proto';
import { builtInVariant, builtInVariants } from '../../libs/process/src';
import { auditOf, documentsOf, eventually, ladderOf, outboxOf } from '../support/audit-reader';
import { conferenceToApproval, journeys } from '../support/journeys';
import { refusal, snapshotQuery, timeSkippingStack, type Stack } from '../support/temporal-stack';

jest.setTimeout(120_000);

let stack: Awaited<ReturnType<typeof timeSkippingStack>>;
beforeAll(async () => {
  stack = await timeSkippingStack();
});
afterAll(() => stack?.stop());

const DAY = 86_400_000;
let n = 0;
const nextId = () => `c_wf${++n}`;

describe('case workflow on the time-skipping test server', () => {
  it.each(builtInVariants.map((v) => [v.key]))('%s: a whole case from opening to closed', async (key) => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant(key));
    const views = await journeys[key]!(c, await stack.now());
    const last = views.at(-1)!;
    expect(last.phase).toBe('closed');
    expect(last.closedReason).toBe('needsMet');
    const entries = await auditOf(stack.db, id);
    expect(entries[0]).toMatchObject({ seq: 1, type: 'case.opened', payload: { variant: key, version: 1 } });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.length).toBe(last.lastSeq);
    expect(await c.view()).toEqual(last);
  });

  it('an event the process refuses is answered with its rule and allowedEvents, and changes nothing', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('fgc'));
    const failure = await refusal(c.send('conference.opened', { attendees: ['child'] }));
    expect(failure?.type).toBe('TransitionRejected');
    expect(failure?.details).toMatchObject({
      rule: 'agreementRecorded',
      allowedEvents: ['agreement.recorded', 'case.closed'],
    });
    expect((await c.view()).lastSeq).toBe(1);
  });

  it('promise ladder: reminder → lapsed → coordinator → supervisor, with recipients, then nothing more', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('fgc'));
    await conferenceToApproval(c, await stack.now(), false);
    // p2 (mother, verified by the teacher) is due in 20 days; its last step is 14 days later.
    await stack.env.sleep(20 * DAY + 14 * DAY + 60_000);
    const entries = await eventually(
      () => auditOf(stack.db, id),
      (es) => ladderOf(es, (p) => p.promiseId === 'p2').length === 4,
    );
    expect(ladderOf(entries, (p) => p.promiseId === 'p2')).toEqual([
      'reminder.sent ["mother","teacher"]',
      'escalation.raised lapsed ["cw1"]',
      'escalation.raised coordinator ["co1","co2"]',
      'escalation.raised supervisor ["role:supervisor@north"]',
    ]);
    const reminder = entries.find((e) => e.type === 'reminder.sent' && e.payload.promiseId === 'p2')!;
    expect(reminder.actorSub).toBe('system');
    const outbox = await outboxOf(stack.db, id);
    expect(outbox.filter((o) => o.seq === reminder.seq).map((o) => o.recipient)).toEqual([
      'mother',
      'teacher',
    ]);
    const view = await c.view();
    expect(view.promises.find((p) => p.id === 'p2')?.escalation).toBe('supervisor');
  });

  it('a promise kept after its reminder cancels the remaining steps', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('fgc'));
    await conferenceToApproval(c, await stack.now(), false);
    await stack.env.sleep(30 * DAY + 60_000); // p1 due at day 30: its reminder only
    await eventually(
      () => auditOf(stack.db, id),
      (es) => ladderOf(es, (p) => p.promiseId === 'p1').length === 1,
    );
    await c.send('promise.kept', { promiseId: 'p1' }, { sub: 'co1', role: 'coordinator' });
    await stack.env.sleep(20 * DAY);
    const entries = await auditOf(stack.db, id);
    expect(ladderOf(entries, (p) => p.promiseId === 'p1')).toEqual(['reminder.sent ["grandma","co1"]']);
    expect((await c.view()).deadlines.some((d) => d.ref === 'p1')).toBe(false);
  });

  it('conference deadline missed: deadline.reached, then the later ladder steps', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('acute'));
    await c.send('agreement.recorded', {
      guardians: [{ name: 'Testi Äiti', consent: true }],
      childConsulted: true,
      concerns: ['c'],
      questions: ['q'],
      professionals: [],
      crisis: 'emergency placement',
    });
    await stack.env.sleep(72 * 3_600_000 + 14 * DAY + 60_000);
    const entries = await eventually(
      () => auditOf(stack.db, id),
      (es) => ladderOf(es, (p) => p.kind === 'conference' || p.deadline === 'conference').length === 4,
    );
    expect(ladderOf(entries, (p) => p.kind === 'conference' || p.deadline === 'conference')).toEqual([
      'deadline.reached conference []',
      'escalation.raised lapsed ["cw1"]',
      'escalation.raised coordinator ["cw1"]',
      'escalation.raised supervisor ["role:supervisor@north"]',
    ]);
  });

  it('events that leave the next due time as it was keep its timer, and the timer still fires', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('acute'));
    await c.send('agreement.recorded', {
      guardians: [{ name: 'Testi Äiti', consent: true }],
      childConsulted: true,
      concerns: ['c'],
      questions: ['q'],
      professionals: [],
      crisis: 'emergency placement',
    });
    const timers = async () => {
      const events = (await c.handle.fetchHistory()).events ?? [];
      const count = (type: temporal.api.enums.v1.EventType) =>
        events.filter((e) => e.eventType === type).length;
      const { EVENT_TYPE_TIMER_STARTED, EVENT_TYPE_TIMER_CANCELED } = temporal.api.enums.v1.EventType;
      return { started: count(EVENT_TYPE_TIMER_STARTED), canceled: count(EVENT_TYPE_TIMER_CANCELED) };
    };
    expect(await timers()).toEqual({ started: 1, canceled: 0 });
    await c.send('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' });
    const soon = new Date((await stack.now()) + DAY).toISOString();
    await c.send(
      'meeting.scheduled',
      { at: soon, place: 'Sosiaalitoimisto' },
      { sub: 'co1', role: 'coordinator' },
    );
    expect(await timers()).toEqual({ started: 1, canceled: 0 });

    await stack.env.sleep(72 * 3_600_000 + 60_000);
    const entries = await eventually(
      () => auditOf(stack.db, id),
      (es) => es.some((e) => e.type === 'deadline.reached'),
    );
    expect(ladderOf(entries, (p) => p.kind === 'conference')).toEqual(['deadline.reached conference []']);
  });

  it('a follow-up meeting not held within its grace climbs the ladder; the reminder comes 7 days before', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('fgc'));
    await conferenceToApproval(c, await stack.now(), false);
    const meetingAt = (await c.view()).nextMeetingAt!;
    await stack.env.sleep(56 * DAY + 7 * DAY + 60_000);
    const entries = await eventually(
      () => auditOf(stack.db, id),
      (es) => ladderOf(es, (p) => p.meetingAt === meetingAt).length === 2,
    );
    const meeting = ladderOf(entries, (p) => p.meetingAt === meetingAt);
    expect(meeting[0]).toBe('reminder.sent ["child","mother","grandma","teacher","cw1","co1","co2"]');
    expect(meeting[1]).toBe('reminder.sent ["co1","co2","cw1"]');
    const reminder = entries.find((e) => e.type === 'reminder.sent' && e.payload.meetingAt === meetingAt)!;
    expect(Date.parse(reminder.at)).toBeGreaterThanOrEqual(Date.parse(meetingAt) - 7 * DAY);
    expect(Date.parse(reminder.at)).toBeLessThan(Date.parse(meetingAt) - 7 * DAY + 120_000);
  });

  it('network-mapping: the plan letter is due 3 days after the meeting, and planLetter.sent renders it for every participant', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('network-mapping'));
    const now = await stack.now();
    await c.send('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' });
    await c.send('participants.mapped', {
      participants: [
        { id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' },
        { id: 'child', name: 'Testi Lapsi', relation: 'child', side: 'family' },
      ],
    });
    await c.send(
      'meeting.scheduled',
      { at: new Date(now + DAY).toISOString(), place: 'Office' },
      { sub: 'co1', role: 'coordinator' },
    );
    await c.send(
      'meeting.held',
      {
        attendees: ['mother'],
        reviews: [],
        newPromises: [
          {
            what: 'mother calls the school',
            owner: 'mother',
            verifier: 'cw1',
            dueAt: new Date(now + 30 * DAY).toISOString(),
          },
        ],
        nextMeetingAt: new Date(now + 40 * DAY).toISOString(),
      },
      { sub: 'co1', role: 'coordinator' },
    );
    await stack.env.sleep(3 * DAY + 60_000);
    const entries = await eventually(
      () => auditOf(stack.db, id),
      (es) => es.some((e) => e.type === 'deadline.reached'),
    );
    expect(entries.find((e) => e.type === 'deadline.reached')?.payload).toEqual({
      kind: 'planLetter',
      ref: 'planLetter',
    });
    const view = await c.send('planLetter.sent', {}, { sub: 'co1', role: 'coordinator' });
    expect(view.phase).toBe('continuation');
    const docs = await eventually(
      () => documentsOf(stack.db, id),
      (d) => d.length === 2,
    );
    expect(docs.map((d) => [d.document, d.recipient])).toEqual([
      ['planLetter', 'mother'],
      ['planLetter', 'child'],
    ]);
    expect(docs[0]!.body).toContain('mother calls the school');
  });

  it('continue-as-new carries the snapshot, and pending deadlines still fire afterwards', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('fgc'), { continueAsNewAfter: 40 });
    await conferenceToApproval(c, await stack.now(), false);
    const before = await c.handle.query(snapshotQuery);
    await eventually(
      () => c.handle.describe(),
      (d) => d.runId !== c.handle.firstExecutionRunId,
    );
    const latest = stack.client.workflow.getHandle(c.handle.workflowId);
    expect(await latest.query(snapshotQuery)).toEqual(before);
    await stack.env.sleep(20 * DAY + 60_000);
    const entries = await eventually(
      () => auditOf(stack.db, id),
      (es) => ladderOf(es, (p) => p.promiseId === 'p2').length === 1,
    );
    expect(ladderOf(entries, (p) => p.promiseId === 'p2')).toEqual(['reminder.sent ["mother","teacher"]']);
  });

  it('no participant name reaches Temporal in plaintext', async () => {
    const id = nextId();
    const c = await stack.open(id, builtInVariant('fgc'));
    await conferenceToApproval(c, await stack.now(), false);
    const raw = await stack.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: c.handle.workflowId },
    });
    const bytes: Buffer[] = [];
    const collect = (v: unknown) => {
      if (v instanceof Uint8Array) bytes.push(Buffer.from(v));
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(raw.history);
    const text = Buffer.concat(bytes).toString('utf8');
    expect(text.length).toBeGreaterThan(1000);
    for (const name of ['Testi Äiti', 'Testi Mummo', 'school absences', 'grandma takes the child']) {
      expect(text).not.toContain(name);
    }
    expect(text).toContain('binary/encrypted');
  });
});

export type { Stack };
