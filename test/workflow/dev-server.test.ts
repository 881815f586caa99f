import { temporal } from '@temporalio/proto';
import { parseVariantConfig, builtInVariant, type VariantConfig } from '../../libs/process/src';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { caseSearchAttributes, TASK_QUEUE, workflowIdOf } from '../../libs/temporal/src';
import { caseWorkflow } from '../../workflows';
import { applyEventUpdate } from '../../workflows/definitions';
import { auditOf, eventually, ladderOf } from '../support/audit-reader';
import { conferenceToApproval } from '../support/journeys';
import { devServerStack, refusal } from '../support/temporal-stack';

jest.setTimeout(120_000);

let stack: Awaited<ReturnType<typeof devServerStack>>;
beforeAll(async () => {
  stack = await devServerStack();
});
afterAll(() => stack?.stop());

/** fgc with second-scale promise ladder, so real time shows the escalation. */
function fastFgc(): VariantConfig {
  const base = structuredClone(builtInVariant('fgc'));
  base.key = 'fgc-drill';
  base.escalation = [
    { after: 'P0D', level: 'reminder', notify: ['owner', 'verifier'] },
    { after: 'PT2S', level: 'lapsed', notify: ['caseworker'] },
  ];
  const parsed = parseVariantConfig(base);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

describe('case workflow on the dev server', () => {
  it('a worker restart in the middle of a case loses nothing: a command sent while no worker runs is applied once it is back', async () => {
    const c = await stack.open('c_dev1', fastFgc());
    await c.send('agreement.recorded', {
      guardians: [{ name: 'Testi Äiti', consent: true }],
      childConsulted: true,
      concerns: ['c'],
      questions: ['q'],
      professionals: [],
    });
    await c.send('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' });
    await c.send('coordinator.assigned', { coordinatorId: 'co2', unit: 'east' });
    await c.send('participants.mapped', {
      participants: [
        { id: 'child', name: 'Testi Lapsi', relation: 'child', side: 'family' },
        { id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' },
      ],
    });
    await stack.stopWorker();
    // With no worker, the command waits in Temporal; the timer comes due meanwhile.
    const pending = c.send('supportPerson.appointed', { name: 'Testi Mummo', forParticipantId: 'child' });
    await new Promise((r) => setTimeout(r, 1_000));
    await stack.startWorker();
    const view = await pending;
    expect(view.lastSeq).toBe(6);
    expect(view.state).toEqual({ preparation: 'preparing' });
    const entries = await auditOf(stack.db, 'c_dev1');
    expect(entries.map((e) => e.type)).toEqual([
      'case.opened',
      'agreement.recorded',
      'coordinator.assigned',
      'coordinator.assigned',
      'participants.mapped',
      'supportPerson.appointed',
    ]);
  });

  it('timers due while no worker runs fire once the worker is back', async () => {
    const config = fastFgc();
    const c = await stack.open('c_dev2', config);
    await conferenceToApproval(c, Date.now(), false);
    // Make a promise due in 2 s, then take the worker away across its whole ladder.
    await c.send(
      'promise.made',
      {
        what: 'call the school',
        owner: 'mother',
        verifier: 'co1',
        dueAt: new Date(Date.now() + 2_000).toISOString(),
      },
      { sub: 'co1', role: 'coordinator' },
    );
    await stack.stopWorker();
    await new Promise((r) => setTimeout(r, 5_000));
    await stack.startWorker();
    const entries = await eventually(
      () => auditOf(stack.db, 'c_dev2'),
      (es) => ladderOf(es, (p) => p.promiseId === 'p3').length === 2,
      20_000,
    );
    expect(ladderOf(entries, (p) => p.promiseId === 'p3')).toEqual([
      'reminder.sent ["mother","co1"]',
      'escalation.raised lapsed ["cw1"]',
    ]);
  });

  it('an Update refused by the validator leaves no trace in the workflow history', async () => {
    const c = await stack.open('c_dev3', builtInVariant('fgc'));
    await c.send('agreement.recorded', {
      guardians: [{ name: 'Testi Äiti', consent: true }],
      childConsulted: true,
      concerns: ['c'],
      questions: ['q'],
      professionals: [],
    });
    const before = (await c.handle.fetchHistory()).events?.length ?? 0;
    const failure = await refusal(c.send('plan.approved', {}));
    expect(failure?.details).toMatchObject({ rule: 'eventAllowedInPhase' });
    const failure2 = await refusal(c.send('coordinator.assigned', { coordinatorId: 'co9', unit: 'north' }));
    expect(failure2?.details).toMatchObject({ rule: 'coordinatorOutsideCaseworkerUnit' });
    const events = (await c.handle.fetchHistory()).events ?? [];
    expect(events.length).toBe(before);
    // Only the accepted agreement is in the history; the refused Updates left no event.
    const accepted = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED;
    expect(events.filter((e) => e.eventType === accepted)).toHaveLength(1);
    expect((await c.view()).lastSeq).toBe(2);
  });

  it('a command in the very first workflow task lines up behind case.opened (update-with-start)', async () => {
    const startWorkflowOperation = new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: workflowIdOf('c_dev5'),
      taskQueue: TASK_QUEUE,
      workflowIdConflictPolicy: 'FAIL',
      args: [
        {
          caseId: 'c_dev5',
          config: builtInVariant('network-meeting'),
          opening: { caseworker: { sub: 'cw1', unit: 'north' } },
        },
      ],
    });
    const view = await stack.client.workflow.executeUpdateWithStart(applyEventUpdate, {
      args: [
        {
          type: 'participants.mapped',
          payload: {
            participants: [{ id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' }],
          },
          actor: { sub: 'cw1', role: 'caseworker' },
        },
      ],
      startWorkflowOperation,
    });
    expect(view.lastSeq).toBe(2);
    expect((await auditOf(stack.db, 'c_dev5')).map((e) => [e.seq, e.type])).toEqual([
      [1, 'case.opened'],
      [2, 'participants.mapped'],
    ]);
  });

  it('search attributes hold ids, variant and phase only', async () => {
    const c = await stack.open('c_dev4', builtInVariant('network-meeting'));
    await c.send('participants.mapped', {
      participants: [{ id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' }],
    });
    const description = await eventually(
      () => c.handle.describe(),
      (d) => d.typedSearchAttributes.get(caseSearchAttributes.phase) !== undefined,
    );
    const attrs = description.typedSearchAttributes;
    expect(attrs.get(caseSearchAttributes.caseId)).toBe('c_dev4');
    expect(attrs.get(caseSearchAttributes.variant)).toBe('network-meeting');
    expect(attrs.get(caseSearchAttributes.variantVersion)).toBe(1);
    expect(attrs.get(caseSearchAttributes.phase)).toBe('preparation');
    expect(JSON.stringify(description.searchAttributes)).not.toContain('Testi');
  });
  it('search attributes are upserted when the phase or the next due time changes, not after every event', async () => {
    const c = await stack.open('c_dev6', builtInVariant('network-meeting'));
    // The case's own attributes (Temporal adds TemporalChangeVersion once per run for the workflow's patch).
    const upserts = async () =>
      ((await c.handle.fetchHistory()).events ?? []).filter((e) =>
        Object.keys(
          e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
        ).includes(caseSearchAttributes.phase.name),
      ).length;
    expect(await eventually(upserts, (n) => n > 0)).toBe(1); // case.opened
    const mapped = await c.send('participants.mapped', {
      participants: [{ id: 'mother', name: 'Testi Äiti', relation: 'mother', side: 'family' }],
    });
    expect(mapped.phase).toBe('preparation');
    expect(await upserts()).toBe(1); // same phase, nothing due: nothing to index
    const scheduled = await c.send('meeting.scheduled', {
      at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      place: 'Nuorisotalo',
    });
    expect(await upserts()).toBe(2);
    const description = await c.handle.describe();
    expect(description.typedSearchAttributes.get(caseSearchAttributes.phase)).toBe(scheduled.phase);
  });
});
