/**
 * Timer events (`reminder.sent`, `escalation.raised`, `deadline.reached`) are raised by the workflow only,
 * and only for the next step of a series that is due (rule `timerStepDue`, reducer `recordTimerStep`).
 */
import {
  allowedEvents,
  apply,
  deadlinesOf,
  stepsTaken,
  type CaseSnapshot,
  promisesOf,
} from '../../../libs/process/src';
import {
  accepted,
  actors,
  at,
  conferenceUpToFollowUp,
  ev,
  fgc,
  foldAll,
  networkMapping,
  networkMappingUpToMeeting,
  refusedBy,
  seriesOf,
  timerEvent,
} from '../../support/scenarios';

/** Follow-up with p1 (due day 30) and p2 (mother, verifier teacher, due day 20). */
const followUp = (): CaseSnapshot => foldAll(fgc(), conferenceUpToFollowUp(fgc()));
const ladderOfP2 = () => seriesOf(fgc(), followUp(), 'promise', 'p2');

describe('timer events come from the workflow only', () => {
  const cases = [
    ['reminder.sent', 0],
    ['escalation.raised', 1],
  ] as const;

  it.each(
    cases.flatMap(([type, step]) => [
      [type, step, 'caseworker'],
      [type, step, 'coordinator'],
    ]),
  )('%s (step %i) from a %s is refused even when due (timersRaisedByWorkflowOnly)', (_type, step, role) => {
    const snapshot = followUp();
    const deadline = ladderOfP2()[step]!;
    const event = timerEvent(deadline, deadline.dueAt, role === 'caseworker' ? actors.cw : actors.co);
    const rejection = refusedBy(apply(fgc(), snapshot, event), 'timersRaisedByWorkflowOnly');
    expect(rejection.allowedEvents).toEqual(allowedEvents(fgc(), snapshot));
  });

  it('deadline.reached from a user is refused (timersRaisedByWorkflowOnly)', () => {
    const prepared = foldAll(fgc(), conferenceUpToFollowUp(fgc()).slice(0, 7));
    const [deadline] = seriesOf(fgc(), prepared, 'conference');
    refusedBy(
      apply(fgc(), prepared, timerEvent(deadline!, deadline!.dueAt, actors.cw)),
      'timersRaisedByWorkflowOnly',
    );
    expect(accepted(fgc(), prepared, timerEvent(deadline!)).snapshot.context.timers).toEqual({
      'conference:conference': 1,
    });
  });

  it('allowedEvents never lists timer events', () => {
    for (const type of ['reminder.sent', 'escalation.raised', 'deadline.reached']) {
      expect(allowedEvents(fgc(), followUp())).not.toContain(type);
    }
  });
});

describe('a timer event stands for the next due step of its series (timerStepDue)', () => {
  it('a step is not raised before it is due', () => {
    const [reminder] = ladderOfP2();
    refusedBy(apply(fgc(), followUp(), timerEvent(reminder!, at(19.9))), 'timerStepDue');
  });

  it('a step carries exactly the recipients of the ladder', () => {
    const [reminder] = ladderOfP2();
    const forged = { ...timerEvent(reminder!), payload: { promiseId: 'p2', recipients: ['mother'] } };
    refusedBy(apply(fgc(), followUp(), forged as never), 'timerStepDue');
  });

  it('steps are not skipped: the lapse waits for the reminder', () => {
    const [, lapsed] = ladderOfP2();
    refusedBy(apply(fgc(), followUp(), timerEvent(lapsed!)), 'timerStepDue');
  });

  it('a step is taken once', () => {
    const [reminder] = ladderOfP2();
    const { snapshot } = accepted(fgc(), followUp(), timerEvent(reminder!));
    refusedBy(apply(fgc(), snapshot, timerEvent(reminder!, at(20.5))), 'timerStepDue');
  });

  it('a deadline of another phase is refused (the conference deadline no longer runs in follow-up)', () => {
    const late = {
      type: 'deadline.reached',
      at: at(60),
      actor: actors.system,
      payload: { kind: 'conference', ref: 'conference' },
    };
    refusedBy(apply(fgc(), followUp(), late as never), 'timerStepDue');
  });

  it('a reminder for a promise that does not exist is refused', () => {
    const ghost = {
      type: 'reminder.sent',
      at: at(60),
      actor: actors.system,
      payload: { promiseId: 'p9', recipients: ['mother'] },
    };
    refusedBy(apply(fgc(), followUp(), ghost as never), 'timerStepDue');
  });

  it('a step raised late is still the step that was due', () => {
    const [reminder] = ladderOfP2();
    expect(
      stepsTaken(
        accepted(fgc(), followUp(), timerEvent(reminder!, at(22))).snapshot.context,
        'promise',
        'p2',
      ),
    ).toBe(1);
  });
});

describe('due times are instants, not strings', () => {
  it('a step due after year 9999 is listed last and not taken now', () => {
    const config = networkMapping();
    const far = '9999-12-30T00:00:00.000Z';
    const [leader, mapping] = networkMappingUpToMeeting();
    const snapshot = foldAll(config, [
      leader!,
      mapping!,
      ev('meeting.scheduled', { at: far, place: 'Far away' }, at(0.3), actors.co),
    ]);
    const deadlines = deadlinesOf(config, snapshot);
    const times = deadlines.map((d) => Date.parse(d.dueAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const [graceReminder] = seriesOf(config, snapshot, 'meeting', far);
    expect(graceReminder?.dueAt).toBe('+010000-01-06T00:00:00.000Z');
    refusedBy(apply(config, snapshot, timerEvent(graceReminder!, at(1))), 'timerStepDue');
  });
});

describe('recordTimerStep and notifyRecipients', () => {
  it('recordTimerStep counts the steps taken per series, and the next pending step follows', () => {
    let snapshot = followUp();
    const [reminder, lapsed] = ladderOfP2();
    snapshot = accepted(fgc(), snapshot, timerEvent(reminder!)).snapshot;
    expect(stepsTaken(snapshot.context, 'promise', 'p2')).toBe(1);
    snapshot = accepted(fgc(), snapshot, timerEvent(lapsed!)).snapshot;
    expect(stepsTaken(snapshot.context, 'promise', 'p2')).toBe(2);
    // A promise's steps are kept on the promise itself; `timers` holds only the case's own series.
    expect(snapshot.context.timers).toEqual({});
    expect(deadlinesOf(fgc(), snapshot).find((d) => d.ref === 'p2')).toMatchObject({
      level: 'coordinator',
      step: 2,
    });
  });

  it('a reminder notifies owner and verifier; an escalation notifies its level’s recipients (notifyRecipients)', () => {
    const [reminder, lapsed] = ladderOfP2();
    const first = accepted(fgc(), followUp(), timerEvent(reminder!));
    expect(first.effects).toEqual([
      {
        type: 'notifyRecipients',
        params: { event: 'reminder.sent', promiseId: 'p2', recipients: ['mother', 'teacher'] },
      },
    ]);
    const second = accepted(fgc(), first.snapshot, timerEvent(lapsed!));
    expect(second.effects).toEqual([
      {
        type: 'notifyRecipients',
        params: { event: 'escalation.raised', promiseId: 'p2', level: 'lapsed', recipients: ['cw1'] },
      },
    ]);
  });

  it('timer steps change neither the phase nor anything but the step count, seq and time', () => {
    const before = followUp();
    const [reminder] = ladderOfP2();
    const { snapshot } = accepted(fgc(), before, timerEvent(reminder!));
    expect(snapshot.value).toEqual(before.value);
    expect(promisesOf(snapshot.context)).toEqual(
      promisesOf(before.context).map((p) => (p.id === 'p2' ? { ...p, laddered: 1 } : p)),
    );
    expect(snapshot.context).toEqual({
      ...before.context,
      promises: snapshot.context.promises,
      seq: before.context.seq + 1,
      updatedAt: at(20),
    });
  });

  it('a meeting not held within its grace period climbs the ladder, starting with a reminder', () => {
    const snapshot = followUp();
    const meetingAt = snapshot.context.nextMeetingAt!;
    const ladder = seriesOf(fgc(), snapshot, 'meeting', meetingAt);
    expect(ladder.map((d) => [d.level, d.event.type])).toEqual([
      ['reminder', 'reminder.sent'],
      ['lapsed', 'escalation.raised'],
      ['coordinator', 'escalation.raised'],
      ['supervisor', 'escalation.raised'],
    ]);
    expect(ladder[0]?.dueAt).toBe(at(58.2 + 7));
    const r = accepted(fgc(), snapshot, timerEvent(ladder[0]!));
    expect(r.snapshot.context.timers).toEqual({ [`meeting:${meetingAt}`]: 1 });
    expect(r.effects[0]?.params).toMatchObject({
      event: 'reminder.sent',
      meetingAt,
      recipients: ['co1', 'co2', 'cw1'],
    });
  });

  it('a user event between timer steps is fine, as long as time moves forward', () => {
    const [reminder] = ladderOfP2();
    const snapshot = accepted(
      fgc(),
      followUp(),
      ev('promise.made', { what: 'x', owner: 'mother', verifier: 'co1', dueAt: at(50) }, at(21)),
    ).snapshot;
    refusedBy(apply(fgc(), snapshot, timerEvent(reminder!)), 'timeMovesForward');
    expect(
      stepsTaken(accepted(fgc(), snapshot, timerEvent(reminder!, at(21))).snapshot.context, 'promise', 'p2'),
    ).toBe(1);
  });
});
