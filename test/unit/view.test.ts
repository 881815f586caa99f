/**
 * The case view of contract.md ("Case view"), derived from a snapshot and its pinned config.
 */
import { caseViewSchema, type CaseView } from '../../libs/contracts/src';
import { builtInVariants, viewOf, type CaseSnapshot, type VariantConfig } from '../../libs/process/src';
import {
  accepted,
  actors,
  applyAll,
  at,
  conferenceUpToFollowUp,
  conferenceUpToPresentation,
  CW,
  ev,
  family,
  fgc,
  foldAll,
  networkMapping,
  networkMappingUpToMeeting,
  networkMeeting,
  networkMeetingFirstMeeting,
  networkMeetingUpToMeeting,
  opened,
  reviewOf,
  seriesOf,
  timerEvent,
} from '../support/scenarios';

const viewKeys = [
  'allowedEvents',
  'caseworker',
  'closedReason',
  'coordinators',
  'deadlines',
  'id',
  'lastSeq',
  'nextMeetingAt',
  'participants',
  'phase',
  'plan',
  'promises',
  'state',
  'updatedAt',
  'variant',
];
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Follow-up with p1 (grandma, due day 30) and p2 (mother, due day 20). */
const followUp = (): CaseSnapshot => foldAll(fgc(), conferenceUpToFollowUp(fgc()));

function checkedView(config: VariantConfig, snapshot: CaseSnapshot): CaseView {
  const view = viewOf(config, snapshot);
  expect(caseViewSchema.parse(view)).toEqual(view);
  expect(Object.keys(view).sort()).toEqual(viewKeys);
  for (const p of view.promises) {
    expect(Object.keys(p).sort()).toEqual(
      expect.arrayContaining(['dueAt', 'escalation', 'id', 'owner', 'status', 'verifier', 'what']),
    );
  }
  for (const d of view.deadlines) expect(d.dueAt).toMatch(ISO_MS);
  expect(view.updatedAt).toMatch(ISO_MS);
  expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  return view;
}

/** Snapshots along the life of a case of every template. */
function lifeOf(config: VariantConfig): CaseSnapshot[] {
  const out = [opened(config)];
  const events =
    config.template === 'fgc' || config.template === 'acute'
      ? conferenceUpToFollowUp(config)
      : config.template === 'network-meeting'
        ? [...networkMeetingUpToMeeting(), networkMeetingFirstMeeting()]
        : networkMappingUpToMeeting();
  for (let n = 1; n <= events.length; n++) out.push(foldAll(config, events.slice(0, n)));
  const closed = applyAll(config, out[out.length - 1]!, [ev('case.closed', { reason: 'declined' }, at(8))]);
  return [...out, closed];
}

describe('the case view', () => {
  it.each(builtInVariants.map((c) => [c.key, c] as const))(
    '%s: every state along a case parses with caseViewSchema and has the contract’s fields',
    (_key, config) => {
      for (const snapshot of lifeOf(config)) checkedView(config, snapshot);
    },
  );

  it('a follow-up view reads as in contract.md', () => {
    const view = checkedView(fgc(), followUp());
    expect(view).toMatchObject({
      id: 'c_test',
      variant: { key: 'fgc', version: 1 },
      phase: 'followUp',
      state: { followUp: 'awaitingMeeting' },
      allowedEvents: ['meeting.held', 'promise.made', 'promise.kept', 'promise.notKept', 'case.closed'],
      caseworker: CW,
      coordinators: [
        { sub: 'co1', unit: 'south' },
        { sub: 'co2', unit: 'east' },
      ],
      participants: family,
      nextMeetingAt: at(58.2),
      closedReason: null,
      updatedAt: at(2.2),
      lastSeq: 1 + conferenceUpToFollowUp(fgc()).length,
    });
    expect(view.plan.rejections).toBe(0);
    expect(view.plan.items).toHaveLength(2);
    expect(view.promises).toEqual([
      {
        id: 'p1',
        what: 'grandma takes the child to school',
        owner: 'grandma',
        verifier: 'co1',
        dueAt: at(30),
        status: 'open',
        escalation: null,
      },
      {
        id: 'p2',
        what: 'mother meets the teacher',
        owner: 'mother',
        verifier: 'teacher',
        dueAt: at(20),
        status: 'open',
        escalation: null,
      },
    ]);
  });

  it('deadlines show the next pending step of each series, earliest first', () => {
    const view = checkedView(fgc(), followUp());
    expect(view.deadlines).toEqual([
      { kind: 'promise', ref: 'p2', dueAt: at(20), level: 'reminder' },
      { kind: 'promise', ref: 'p1', dueAt: at(30), level: 'reminder' },
      { kind: 'meetingReminder', ref: at(58.2), dueAt: at(51.2) },
      { kind: 'meeting', ref: at(58.2), dueAt: at(65.2), level: 'reminder' },
    ]);
  });

  it('a promise’s escalation level shows after its reminder and after each escalation step', () => {
    let snapshot = followUp();
    const levels: (string | null)[] = [viewOf(fgc(), snapshot).promises[1]!.escalation];
    for (const step of seriesOf(fgc(), snapshot, 'promise', 'p2')) {
      snapshot = accepted(fgc(), snapshot, timerEvent(step)).snapshot;
      const view = checkedView(fgc(), snapshot);
      levels.push(view.promises[1]!.escalation);
      expect(view.promises[0]!.escalation).toBeNull();
    }
    expect(levels).toEqual([null, 'reminder', 'lapsed', 'coordinator', 'supervisor']);
  });

  it('a resolved promise keeps the level it reached and leaves the deadlines', () => {
    let snapshot = followUp();
    const [reminder, lapsed] = seriesOf(fgc(), snapshot, 'promise', 'p2');
    snapshot = applyAll(fgc(), snapshot, [
      timerEvent(reminder!),
      timerEvent(lapsed!),
      ev('promise.kept', { promiseId: 'p2', note: 'done late' }, at(24)),
    ]);
    const view = checkedView(fgc(), snapshot);
    expect(view.promises[1]).toEqual({
      id: 'p2',
      what: 'mother meets the teacher',
      owner: 'mother',
      verifier: 'teacher',
      dueAt: at(20),
      status: 'kept',
      escalation: 'lapsed',
      note: 'done late',
    });
    expect(view.deadlines.filter((d) => d.ref === 'p2')).toEqual([]);
    expect(view.deadlines[0]).toMatchObject({ kind: 'promise', ref: 'p1' });
  });

  it('a rejected plan shows its rejection count in presentation', () => {
    const snapshot = applyAll(fgc(), foldAll(fgc(), conferenceUpToPresentation(fgc())), [
      ev('plan.rejected', { reasons: ['too vague'] }, at(2.2)),
      ev(
        'deliberation.completed',
        { plan: { items: [{ what: 'x', owner: 'mother', verifier: 'co1', dueAt: at(30) }] } },
        at(2.3),
        actors.co,
      ),
    ]);
    expect(checkedView(fgc(), snapshot)).toMatchObject({
      phase: 'presentation',
      state: 'presentation',
      plan: { rejections: 1, items: [{ what: 'x' }] },
    });
  });

  it('a case closed after follow-up: closedReason, only case.reopened, no deadlines', () => {
    const snapshot = applyAll(fgc(), followUp(), [
      ev(
        'meeting.held',
        {
          attendees: ['mother'],
          reviews: [reviewOf('p1', 'kept'), reviewOf('p2', 'kept')],
          newPromises: [],
          close: { reason: 'needsMet' },
        },
        at(58.2),
        actors.co,
      ),
    ]);
    expect(checkedView(fgc(), snapshot)).toMatchObject({
      phase: 'closed',
      state: 'closed',
      allowedEvents: ['case.reopened'],
      closedReason: 'needsMet',
      nextMeetingAt: null,
      deadlines: [],
    });
  });

  it('a new case shows the awaiting-agreement state and nothing due', () => {
    expect(checkedView(fgc(), opened(fgc()))).toMatchObject({
      phase: 'preparation',
      state: { preparation: 'awaitingAgreement' },
      allowedEvents: ['agreement.recorded', 'case.closed'],
      coordinators: [],
      participants: [],
      plan: { items: [], rejections: 0 },
      promises: [],
      deadlines: [],
      nextMeetingAt: null,
      lastSeq: 1,
    });
  });

  it('network-meeting in its action period: no coordinators, promises of the meeting, the next meeting’s date as a deadline', () => {
    const snapshot = foldAll(networkMeeting(), [
      ...networkMeetingUpToMeeting(),
      networkMeetingFirstMeeting(),
    ]);
    const view = checkedView(networkMeeting(), snapshot);
    expect(view).toMatchObject({
      phase: 'actionPeriod',
      state: 'actionPeriod',
      coordinators: [],
      nextMeetingAt: at(35),
    });
    expect(view.promises.map((p) => p.owner)).toEqual(['client', 'mother', 'teacher']);
    expect(view.deadlines).toContainEqual({ kind: 'meetingDate', ref: at(35), dueAt: at(35) });
  });

  it('network-mapping in plan delivery shows the plan letter deadline', () => {
    const snapshot = applyAll(networkMapping(), foldAll(networkMapping(), networkMappingUpToMeeting()), [
      ev(
        'meeting.held',
        {
          attendees: ['mother'],
          reviews: [],
          newPromises: [{ what: 'x', owner: 'mother', verifier: 'cw1', dueAt: at(20) }],
          close: { reason: 'needsMet' },
        },
        at(5),
        actors.co,
      ),
    ]);
    const view = checkedView(networkMapping(), snapshot);
    expect(view.phase).toBe('planDelivery');
    expect(view.deadlines).toContainEqual({ kind: 'planLetter', ref: 'planLetter', dueAt: at(8) });
  });
});
