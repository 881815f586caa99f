/**
 * The escalation ladder end to end through `apply` (product.md "Promises, deadlines and escalation",
 * contract.md "Escalation ladder"): timer events are taken from `deadlinesOf` and raised by the system actor
 * when due, exactly as the workflow does.
 */
import { SYSTEM_ACTOR, type Actor, type CaseEvent, type Rejection } from '../../libs/contracts/src';
import {
  apply,
  builtInVariant,
  deadlinesOf,
  parseVariantConfig,
  phaseOf,
  start,
  viewOf,
  type CaseSnapshot,
  type ConferenceConfig,
  type Deadline,
  type DeadlineKind,
  type Effect,
  type VariantConfig,
  promisesOf,
} from '../../libs/process/src';
import {
  actors,
  agreement,
  at,
  conferenceUpToPresentation,
  CW,
  DAY,
  ev,
  family,
  T0,
} from '../support/scenarios';

const SUPERVISOR = 'role:supervisor@north';
const SECOND = 1000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** One case driven through `apply`, keeping its history. */
class Case {
  snapshot: CaseSnapshot;
  readonly history: CaseEvent[] = [];
  lastEffects: Effect[] = [];

  constructor(readonly config: VariantConfig) {
    this.snapshot = start(config, { caseId: 'c_deadlines', caseworker: CW, openedAt: T0 });
  }

  send(...events: CaseEvent[]): this {
    for (const e of events) {
      const r = apply(this.config, this.snapshot, e);
      if ('rejected' in r)
        throw new Error(`${e.type} at ${e.at} refused: ${r.rejected.rule} (${r.rejected.message})`);
      expect(r.snapshot.context.seq).toBe(this.snapshot.context.seq + 1);
      this.snapshot = r.snapshot;
      this.lastEffects = r.effects;
      this.history.push(e);
    }
    return this;
  }

  /** Applies an event that must be refused; the case does not change. */
  refuse(e: CaseEvent): Rejection {
    const before = JSON.stringify(this.snapshot);
    const r = apply(this.config, this.snapshot, e);
    if (!('rejected' in r)) throw new Error(`${e.type} at ${e.at} was accepted`);
    expect(JSON.stringify(this.snapshot)).toBe(before);
    return r.rejected;
  }

  /** Pending steps of one series, earliest first. */
  series(kind: DeadlineKind, ref?: string): Deadline[] {
    return deadlinesOf(this.config, this.snapshot).filter(
      (d) => d.kind === kind && (ref === undefined || d.ref === ref),
    );
  }

  /** The next pending step of a series (fails if none). */
  next(kind: DeadlineKind, ref?: string): Deadline {
    const d = this.series(kind, ref)[0];
    if (!d) throw new Error(`no pending ${kind}${ref ? `:${ref}` : ''} step`);
    return d;
  }

  /** Raises the next step of a series as the workflow does, at its due time; returns the event. */
  fire(kind: DeadlineKind, ref?: string, when?: string): CaseEvent {
    const e = timer(this.next(kind, ref), when);
    this.send(e);
    return e;
  }

  get phase() {
    return phaseOf(this.snapshot.value);
  }
}

/** The timer event of a deadline step, raised by the workflow (system actor) at `when` (default: when due). */
function timer(d: Deadline, when = d.dueAt, actor: Actor = SYSTEM_ACTOR): CaseEvent {
  return { type: d.event.type, at: when, actor, payload: d.event.payload } as CaseEvent;
}

/** Just the parts of a deadline the contract fixes. */
const shape = (d: Deadline) => ({
  kind: d.kind,
  ref: d.ref,
  dueAt: d.dueAt,
  type: d.event.type,
  payload: d.event.payload,
});

/** fgc up to follow-up: plan approved at day 2.2; p1 (grandma, verified by co1) due day 30, p2 (mother, by teacher) due day 20. */
function fgcInFollowUp(config = builtInVariant('fgc')): Case {
  return new Case(config).send(...conferenceUpToPresentation(config), ev('plan.approved', {}, at(2.2)));
}

describe('promise ladder: reminder → lapsed → coordinator → supervisor', () => {
  it('lists every step of an open promise with its due time, event and recipients', () => {
    const c = fgcInFollowUp();
    expect(promisesOf(c.snapshot.context).map((p) => [p.id, p.owner, p.verifier, p.dueAt])).toEqual([
      ['p1', 'grandma', 'co1', at(30)],
      ['p2', 'mother', 'teacher', at(20)],
    ]);
    expect(c.series('promise', 'p2').map(shape)).toEqual([
      {
        kind: 'promise',
        ref: 'p2',
        dueAt: at(20),
        type: 'reminder.sent',
        payload: { promiseId: 'p2', recipients: ['mother', 'teacher'] },
      },
      {
        kind: 'promise',
        ref: 'p2',
        dueAt: at(23),
        type: 'escalation.raised',
        payload: { promiseId: 'p2', level: 'lapsed', recipients: ['cw1'] },
      },
      {
        kind: 'promise',
        ref: 'p2',
        dueAt: at(27),
        type: 'escalation.raised',
        payload: { promiseId: 'p2', level: 'coordinator', recipients: ['co1', 'co2'] },
      },
      {
        kind: 'promise',
        ref: 'p2',
        dueAt: at(34),
        type: 'escalation.raised',
        payload: { promiseId: 'p2', level: 'supervisor', recipients: [SUPERVISOR] },
      },
    ]);
    expect(c.series('promise', 'p1').map((d) => [d.dueAt, d.level])).toEqual([
      [at(30), 'reminder'],
      [at(33), 'lapsed'],
      [at(37), 'coordinator'],
      [at(44), 'supervisor'],
    ]);
    // The verifier co1 is also a coordinator: recipients are listed once.
    expect(c.series('promise', 'p1')[0]!.event.payload).toEqual({
      promiseId: 'p1',
      recipients: ['grandma', 'co1'],
    });
  });

  it('climbs through apply: each step is an event with its recipients, notified, and shown in the view', () => {
    const c = fgcInFollowUp();
    const expected = [
      {
        at: at(20),
        type: 'reminder.sent',
        payload: { promiseId: 'p2', recipients: ['mother', 'teacher'] },
        level: 'reminder',
      },
      {
        at: at(23),
        type: 'escalation.raised',
        payload: { promiseId: 'p2', level: 'lapsed', recipients: ['cw1'] },
        level: 'lapsed',
      },
      {
        at: at(27),
        type: 'escalation.raised',
        payload: { promiseId: 'p2', level: 'coordinator', recipients: ['co1', 'co2'] },
        level: 'coordinator',
      },
      {
        at: at(34),
        type: 'escalation.raised',
        payload: { promiseId: 'p2', level: 'supervisor', recipients: [SUPERVISOR] },
        level: 'supervisor',
      },
    ];
    for (const step of expected) {
      const e = c.fire('promise', 'p2');
      expect(e).toEqual({ type: step.type, at: step.at, actor: SYSTEM_ACTOR, payload: step.payload });
      expect(c.lastEffects).toEqual([
        { type: 'notifyRecipients', params: { event: step.type, ...step.payload } },
      ]);
      const view = viewOf(c.config, c.snapshot);
      expect(view.promises.find((p) => p.id === 'p2')).toMatchObject({
        status: 'open',
        escalation: step.level,
      });
      expect(c.snapshot.context.updatedAt).toBe(step.at);
    }
    // The ladder is exhausted: no further step, the promise is still open and p1's ladder is untouched.
    expect(c.series('promise', 'p2')).toEqual([]);
    expect(promisesOf(c.snapshot.context).find((p) => p.id === 'p2')?.status).toBe('open');
    expect(c.series('promise', 'p1')).toHaveLength(4);
    expect(c.phase).toBe('followUp');
  });

  it('a step raised late (after a later step was due) is still accepted, in order', () => {
    const c = fgcInFollowUp();
    c.fire('promise', 'p2', at(25));
    c.fire('promise', 'p2', at(25));
    expect(viewOf(c.config, c.snapshot).promises.find((p) => p.id === 'p2')?.escalation).toBe('lapsed');
    expect(c.next('promise', 'p2').dueAt).toBe(at(27));
  });

  it.each([
    ['promise.kept', (_c: Case) => ev('promise.kept', { promiseId: 'p2' }, at(24), actors.co)],
    [
      'promise.notKept',
      (_c: Case) =>
        ev('promise.notKept', { promiseId: 'p2', newSolution: 'grandma instead' }, at(24), actors.co),
    ],
    [
      'meeting.held (dropped)',
      (c: Case) =>
        ev(
          'meeting.held',
          {
            attendees: ['mother', 'grandma'],
            reviews: [
              { promiseId: 'p1', outcome: 'kept' },
              { promiseId: 'p2', outcome: 'dropped', note: 'no longer needed' },
            ],
            newPromises: [],
            nextMeetingAt: c.snapshot.context.nextMeetingAt
              ? plus(c.snapshot.context.nextMeetingAt, 7 * DAY)
              : at(60),
          },
          at(24),
          actors.co,
        ),
    ],
  ])('resolving the promise (%s) cancels its remaining steps', (_name, resolve) => {
    const c = fgcInFollowUp();
    c.fire('promise', 'p2');
    c.fire('promise', 'p2');
    const coordinatorStep = c.next('promise', 'p2');
    c.send(resolve(c));
    expect(c.series('promise', 'p2')).toEqual([]);
    expect(c.refuse(timer(coordinatorStep))).toMatchObject({ rule: 'timerStepDue' });
    // The escalation shown stays the last level reached.
    expect(viewOf(c.config, c.snapshot).promises.find((p) => p.id === 'p2')?.escalation).toBe('lapsed');
  });

  it('refuses a step raised before its due time, out of order, twice, changed, or by a user', () => {
    const c = fgcInFollowUp();
    const [reminder, lapsed] = c.series('promise', 'p2');
    expect(c.refuse(timer(reminder!, plus(reminder!.dueAt, -1)))).toMatchObject({ rule: 'timerStepDue' });
    expect(c.refuse(timer(lapsed!))).toMatchObject({ rule: 'timerStepDue' }); // lapsed before the reminder
    const changed = {
      ...timer(reminder!),
      payload: { promiseId: 'p2', recipients: ['mother'] },
    } as CaseEvent;
    expect(c.refuse(changed)).toMatchObject({ rule: 'timerStepDue' });
    const otherPromise = {
      ...timer(reminder!),
      payload: { promiseId: 'p1', recipients: ['mother', 'teacher'] },
    } as CaseEvent;
    expect(c.refuse(otherPromise)).toMatchObject({ rule: 'timerStepDue' });
    expect(c.refuse(timer(reminder!, reminder!.dueAt, actors.co))).toMatchObject({
      rule: 'timersRaisedByWorkflowOnly',
    });
    c.send(timer(reminder!));
    expect(c.refuse(timer(reminder!))).toMatchObject({ rule: 'timerStepDue' }); // the same step twice
    expect(c.refuse(timer(lapsed!, plus(lapsed!.dueAt, -1)))).toMatchObject({ rule: 'timerStepDue' });
    c.send(timer(lapsed!));
    const refused = c.refuse(timer(lapsed!, plus(lapsed!.dueAt, -SECOND)));
    expect(refused.rule).toBe('timeMovesForward');
  });

  it('a promise made in follow-up gets its own ladder from its dueAt', () => {
    const c = fgcInFollowUp();
    c.send(
      ev(
        'promise.made',
        { what: 'calls the school', owner: 'mother', verifier: 'cw1', dueAt: at(10) },
        at(3),
        actors.co,
      ),
    );
    expect(c.series('promise', 'p3').map((d) => [d.dueAt, d.event.type, d.event.payload])).toEqual([
      [at(10), 'reminder.sent', { promiseId: 'p3', recipients: ['mother', 'cw1'] }],
      [at(13), 'escalation.raised', { promiseId: 'p3', level: 'lapsed', recipients: ['cw1'] }],
      [at(17), 'escalation.raised', { promiseId: 'p3', level: 'coordinator', recipients: ['co1', 'co2'] }],
      [at(24), 'escalation.raised', { promiseId: 'p3', level: 'supervisor', recipients: [SUPERVISOR] }],
    ]);
    // Deadlines come earliest first across series.
    const all = deadlinesOf(c.config, c.snapshot).map((d) => d.dueAt);
    expect(all).toEqual([...all].sort());
    expect(all[0]).toBe(at(10));
  });
});

describe('conference deadline', () => {
  it('fgc: conference not opened within P42D of the agreement → deadline.reached, then escalations with deadline "conference"', () => {
    const c = new Case(builtInVariant('fgc')).send(
      ev('agreement.recorded', agreement, at(0.1)),
      ev('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }, at(1)),
      ev('coordinator.assigned', { coordinatorId: 'co2', unit: 'east' }, at(1)),
    );
    const due = at(42.1);
    expect(c.series('conference').map(shape)).toEqual([
      {
        kind: 'conference',
        ref: 'conference',
        dueAt: due,
        type: 'deadline.reached',
        payload: { kind: 'conference', ref: 'conference' },
      },
      {
        kind: 'conference',
        ref: 'conference',
        dueAt: at(45.1),
        type: 'escalation.raised',
        payload: { deadline: 'conference', level: 'lapsed', recipients: ['cw1'] },
      },
      {
        kind: 'conference',
        ref: 'conference',
        dueAt: at(49.1),
        type: 'escalation.raised',
        payload: { deadline: 'conference', level: 'coordinator', recipients: ['co1', 'co2'] },
      },
      {
        kind: 'conference',
        ref: 'conference',
        dueAt: at(56.1),
        type: 'escalation.raised',
        payload: { deadline: 'conference', level: 'supervisor', recipients: [SUPERVISOR] },
      },
    ]);
    expect(c.refuse(timer(c.next('conference'), plus(due, -1)))).toMatchObject({ rule: 'timerStepDue' });
    expect(c.fire('conference')).toEqual({
      type: 'deadline.reached',
      at: due,
      actor: SYSTEM_ACTOR,
      payload: { kind: 'conference', ref: 'conference' },
    });
    expect(c.lastEffects).toEqual([]);
    expect(c.phase).toBe('preparation');
    for (const level of ['lapsed', 'coordinator', 'supervisor']) {
      const e = c.fire('conference');
      expect(e.payload).toMatchObject({ deadline: 'conference', level });
      expect(c.lastEffects).toEqual([
        { type: 'notifyRecipients', params: { event: 'escalation.raised', ...(e.payload as object) } },
      ]);
    }
    expect(c.series('conference')).toEqual([]);
    expect(c.phase).toBe('preparation');
  });

  it('acute: the conference is due PT72H after the agreement', () => {
    const c = new Case(builtInVariant('acute')).send(
      ev('agreement.recorded', { ...agreement, crisis: 'emergency placement' }, at(0.1)),
    );
    const due = plus(at(0.1), 72 * 3_600_000);
    expect(c.next('conference')).toMatchObject({
      dueAt: due,
      event: { type: 'deadline.reached', payload: { kind: 'conference', ref: 'conference' } },
    });
    expect(c.refuse(timer(c.next('conference'), plus(due, -SECOND)))).toMatchObject({ rule: 'timerStepDue' });
    c.fire('conference');
    expect(c.next('conference')).toMatchObject({
      dueAt: plus(due, 3 * DAY),
      event: { payload: { deadline: 'conference', level: 'lapsed', recipients: ['cw1'] } },
    });
  });

  it('no conference deadline before the agreement, and none once the conference has opened', () => {
    const config = builtInVariant('fgc');
    const c = new Case(config);
    expect(c.series('conference')).toEqual([]);
    const events = conferenceUpToPresentation(config);
    const opened = events.findIndex((e) => e.type === 'conference.opened');
    c.send(...events.slice(0, opened));
    expect(c.series('conference')).toHaveLength(4);
    c.send(events[opened]!);
    expect(c.phase).toBe('information');
    expect(c.series('conference')).toEqual([]);
    expect(
      c.refuse({
        type: 'deadline.reached',
        at: at(50),
        actor: SYSTEM_ACTOR,
        payload: { kind: 'conference', ref: 'conference' },
      } as CaseEvent).rule,
    ).toBe('timerStepDue');
  });
});

describe('follow-up meetings', () => {
  const firstFollowUp = at(2.2 + 56);

  it('the first follow-up is firstFollowUpAfter after approval (fgc P56D, acute P14D)', () => {
    expect(fgcInFollowUp().snapshot.context.nextMeetingAt).toBe(firstFollowUp);
    const acute = builtInVariant('acute');
    expect(fgcInFollowUp(acute).snapshot.context.nextMeetingAt).toBe(at(2.2 + 14));
  });

  it('a reminder goes to everyone 7 days before the meeting', () => {
    const c = fgcInFollowUp();
    expect(c.series('meetingReminder').map(shape)).toEqual([
      {
        kind: 'meetingReminder',
        ref: firstFollowUp,
        dueAt: at(2.2 + 49),
        type: 'reminder.sent',
        payload: {
          meetingAt: firstFollowUp,
          recipients: ['child', 'mother', 'grandma', 'teacher', 'cw1', 'co1', 'co2'],
        },
      },
    ]);
    expect(c.refuse(timer(c.next('meetingReminder'), plus(at(2.2 + 49), -1))).rule).toBe('timerStepDue');
    c.fire('meetingReminder');
    expect(c.lastEffects[0]).toMatchObject({
      type: 'notifyRecipients',
      params: { event: 'reminder.sent', meetingAt: firstFollowUp },
    });
    expect(c.series('meetingReminder')).toEqual([]);
  });

  it('a meeting not held within meetingGrace climbs the ladder with meetingAt', () => {
    const c = fgcInFollowUp();
    const grace = at(2.2 + 56 + 7);
    expect(c.series('meeting', firstFollowUp).map(shape)).toEqual([
      {
        kind: 'meeting',
        ref: firstFollowUp,
        dueAt: grace,
        type: 'reminder.sent',
        payload: { meetingAt: firstFollowUp, recipients: ['co1', 'co2', 'cw1'] },
      },
      {
        kind: 'meeting',
        ref: firstFollowUp,
        dueAt: plus(grace, 3 * DAY),
        type: 'escalation.raised',
        payload: { meetingAt: firstFollowUp, level: 'lapsed', recipients: ['cw1'] },
      },
      {
        kind: 'meeting',
        ref: firstFollowUp,
        dueAt: plus(grace, 7 * DAY),
        type: 'escalation.raised',
        payload: { meetingAt: firstFollowUp, level: 'coordinator', recipients: ['co1', 'co2'] },
      },
      {
        kind: 'meeting',
        ref: firstFollowUp,
        dueAt: plus(grace, 14 * DAY),
        type: 'escalation.raised',
        payload: { meetingAt: firstFollowUp, level: 'supervisor', recipients: [SUPERVISOR] },
      },
    ]);
    // Held on its date: not late. Still not held at the end of the grace period: the ladder starts.
    expect(c.refuse(timer(c.next('meeting'), firstFollowUp)).rule).toBe('timerStepDue');
    c.fire('meeting');
    c.fire('meeting');
    expect(c.next('meeting')).toMatchObject({ level: 'coordinator', dueAt: plus(grace, 7 * DAY) });
  });

  it('holding the meeting cancels its ladder and starts the next meeting’s reminder and ladder', () => {
    const c = fgcInFollowUp();
    c.fire('promise', 'p2');
    c.fire('promise', 'p1');
    c.fire('meetingReminder');
    const next = at(100);
    c.send(
      ev(
        'meeting.held',
        {
          attendees: ['mother', 'grandma'],
          reviews: [
            { promiseId: 'p1', outcome: 'kept' },
            { promiseId: 'p2', outcome: 'notKept', newSolution: 'grandma calls the teacher' },
          ],
          newPromises: [],
          nextMeetingAt: next,
        },
        at(60),
        actors.co,
      ),
    );
    expect(c.series('meeting', firstFollowUp)).toEqual([]);
    expect(c.series('meetingReminder', firstFollowUp)).toEqual([]);
    expect(deadlinesOf(c.config, c.snapshot).map((d) => [d.kind, d.ref, d.dueAt])).toEqual([
      ['meetingReminder', next, at(93)],
      ['meeting', next, at(107)],
      ['meeting', next, at(110)],
      ['meeting', next, at(114)],
      ['meeting', next, at(121)],
    ]);
  });

  it('a closed case has no pending deadlines at all', () => {
    const c = fgcInFollowUp();
    c.send(ev('case.closed', { reason: 'other' }, at(5)));
    expect(deadlinesOf(c.config, c.snapshot)).toEqual([]);
  });
});

describe('network-mapping: the plan letter', () => {
  const mapping = () =>
    new Case(builtInVariant('network-mapping')).send(
      ev('coordinator.assigned', { coordinatorId: 'lead1', unit: 'south' }, at(0.1)),
      ev('participants.mapped', { participants: family }, at(0.2)),
      ev('meeting.scheduled', { at: at(5), place: 'Social station' }, at(0.3), actors.co),
    );
  const held = (
    when: string,
    next: { nextMeetingAt: string } | { close: { reason: 'needsMet' } },
    reviews: { promiseId: string; outcome: 'kept' }[] = [],
  ) =>
    ev(
      'meeting.held',
      {
        attendees: ['mother', 'grandma'],
        reviews,
        newPromises: [
          { what: 'grandma visits weekly', owner: 'grandma', verifier: 'lead1', dueAt: plus(when, 30 * DAY) },
        ],
        ...next,
      },
      when,
      { sub: 'lead1', role: 'coordinator' },
    );

  it('is due 3 days after the meeting: deadline.reached (planLetter), then escalations with deadline "planLetter"', () => {
    const c = mapping().send(held(at(5), { nextMeetingAt: at(20) }));
    expect(c.phase).toBe('planDelivery');
    expect(c.series('planLetter').map(shape)).toEqual([
      {
        kind: 'planLetter',
        ref: 'planLetter',
        dueAt: at(8),
        type: 'deadline.reached',
        payload: { kind: 'planLetter', ref: 'planLetter' },
      },
      {
        kind: 'planLetter',
        ref: 'planLetter',
        dueAt: at(11),
        type: 'escalation.raised',
        payload: { deadline: 'planLetter', level: 'lapsed', recipients: ['cw1'] },
      },
      {
        kind: 'planLetter',
        ref: 'planLetter',
        dueAt: at(15),
        type: 'escalation.raised',
        payload: { deadline: 'planLetter', level: 'coordinator', recipients: ['lead1'] },
      },
      {
        kind: 'planLetter',
        ref: 'planLetter',
        dueAt: at(22),
        type: 'escalation.raised',
        payload: { deadline: 'planLetter', level: 'supervisor', recipients: [SUPERVISOR] },
      },
    ]);
    expect(c.refuse(timer(c.next('planLetter'), plus(at(8), -1))).rule).toBe('timerStepDue');
    c.fire('planLetter');
    c.fire('planLetter');
    expect(c.phase).toBe('planDelivery');
    c.send(ev('planLetter.sent', {}, at(12), actors.co));
    expect(c.lastEffects).toEqual([
      {
        type: 'renderPlanLetter',
        params: {
          document: 'planLetter',
          items: c.snapshot.context.plan.items,
          recipients: family.map((p) => p.id),
        },
      },
    ]);
    expect(c.phase).toBe('continuation');
    expect(c.series('planLetter')).toEqual([]);
  });

  it('planLetter.sent before the deadline cancels it; with a closure decision the case closes', () => {
    const c = mapping().send(held(at(5), { close: { reason: 'needsMet' } }));
    const deadline = c.next('planLetter');
    c.send(ev('planLetter.sent', {}, at(6), actors.co));
    expect(c.phase).toBe('closed');
    expect(c.snapshot.context.closedReason).toBe('needsMet');
    expect(deadlinesOf(c.config, c.snapshot)).toEqual([]);
    expect(c.refuse(timer(deadline)).rule).toBe('eventAllowedInPhase');
  });

  // BUG: the plan letter's series key is always `planLetter:planLetter`, and `timers` keeps its count across
  // letters, so the letter of a continuation meeting starts its ladder where the previous letter's stopped.
  it('the letter of a continuation meeting has its own deadline 3 days after that meeting', () => {
    const c = mapping().send(held(at(5), { nextMeetingAt: at(20) }));
    c.fire('planLetter'); // the first letter is late...
    c.send(ev('planLetter.sent', {}, at(9), actors.co)); // ...and then sent
    c.send(held(at(20), { close: { reason: 'needsMet' } }, [{ promiseId: 'p1', outcome: 'kept' }]));
    expect(c.phase).toBe('planDelivery');
    expect(c.snapshot.context.planLetterDueAt).toBe(at(23));
    expect(c.next('planLetter')).toMatchObject({
      dueAt: at(23),
      event: { type: 'deadline.reached', payload: { kind: 'planLetter', ref: 'planLetter' } },
    });
  });
});

describe('network-meeting: action periods', () => {
  const network = () => {
    const c = new Case(builtInVariant('network-meeting')).send(
      ev('participants.mapped', { participants: family }, at(0.1)),
      ev('meeting.scheduled', { at: at(7), place: 'Youth centre' }, at(0.2)),
    );
    const newPromises = ['child', 'mother', 'grandma'].map((owner) => ({
      what: `${owner} does one thing`,
      owner,
      verifier: 'cw1',
      dueAt: at(21),
    }));
    return c.send(
      ev(
        'meeting.held',
        { attendees: ['child', 'mother', 'grandma', 'cw1'], reviews: [], newPromises, nextMeetingAt: at(35) },
        at(7),
      ),
    );
  };

  it('the next date’s deadline.reached moves the case from actionPeriod to meeting', () => {
    const c = network();
    expect(c.phase).toBe('actionPeriod');
    expect(c.series('meetingDate').map(shape)).toEqual([
      {
        kind: 'meetingDate',
        ref: at(35),
        dueAt: at(35),
        type: 'deadline.reached',
        payload: { kind: 'meetingDate', ref: at(35) },
      },
    ]);
    expect(c.refuse(timer(c.next('meetingDate'), plus(at(35), -1))).rule).toBe('timerStepDue');
    expect(c.phase).toBe('actionPeriod');
    c.fire('meetingDate');
    expect(c.phase).toBe('meeting');
    expect(c.series('meetingDate')).toEqual([]);
    // The meeting's grace ladder keeps running in the meeting phase.
    expect(c.next('meeting', at(35))).toMatchObject({
      dueAt: at(42),
      event: { type: 'reminder.sent', payload: { meetingAt: at(35), recipients: ['cw1'] } },
    });
  });

  it('the meeting reminder is meetingReminderBefore (P3D) ahead and goes to every participant and the caseworker', () => {
    const c = network();
    expect(c.next('meetingReminder')).toMatchObject({
      dueAt: at(32),
      event: {
        type: 'reminder.sent',
        payload: { meetingAt: at(35), recipients: ['child', 'mother', 'grandma', 'teacher', 'cw1'] },
      },
    });
  });

  it('promises of the meeting climb their ladders during the action period', () => {
    const c = network();
    expect(c.series('promise').map((d) => [d.ref, d.dueAt, d.level])).toEqual(
      ['p1', 'p2', 'p3']
        .flatMap((p) => [
          [p, at(21), 'reminder'],
          [p, at(24), 'lapsed'],
          [p, at(28), 'coordinator'],
          [p, at(35), 'supervisor'],
        ])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    c.fire('promise', 'p2');
    expect(c.lastEffects[0]!.params).toEqual({
      event: 'reminder.sent',
      promiseId: 'p2',
      recipients: ['mother', 'cw1'],
    });
  });
});

describe('a variant published with second-scale durations', () => {
  const fast = (): VariantConfig => {
    const draft = structuredClone(builtInVariant('fgc')) as ConferenceConfig;
    draft.key = 'fgc-drill';
    draft.durations = {
      conferenceWithin: 'PT30S',
      firstFollowUpAfter: 'PT60S',
      meetingReminderBefore: 'PT5S',
      meetingGrace: 'PT5S',
    };
    draft.escalation = [
      { after: 'PT0S', level: 'reminder', notify: ['owner', 'verifier'] },
      { after: 'PT5S', level: 'lapsed', notify: ['caseworker'] },
      { after: 'PT10S', level: 'coordinator', notify: ['coordinators'] },
      { after: 'PT15S', level: 'supervisor', notify: ['supervisor'] },
    ];
    const parsed = parseVariantConfig(draft);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.config;
  };
  const s = (n: number) => plus(T0, n * SECOND);

  it('runs a whole case in seconds: conference deadline, promise ladder, meeting reminder and grace', () => {
    const config = fast();
    const c = new Case(config).send(ev('agreement.recorded', agreement, s(1)));
    expect(c.series('conference').map((d) => d.dueAt)).toEqual([s(31), s(36), s(41), s(46)]);
    c.fire('conference');
    c.send(
      ev('coordinator.assigned', { coordinatorId: 'co1', unit: 'south' }, s(32)),
      ev('coordinator.assigned', { coordinatorId: 'co2', unit: 'east' }, s(32)),
      ev('participants.mapped', { participants: family }, s(33), actors.co),
      ev('supportPerson.appointed', { name: 'Testi Mummo', forParticipantId: 'child' }, s(33), actors.co),
      ev(
        'summary.received',
        { professional: 'Testi Opettaja', organisation: 'School', disclosure: 'all' },
        s(34),
        actors.co,
      ),
    );
    c.fire('conference', undefined, s(36)); // lapsed, exactly on time
    c.send(
      ev('meeting.scheduled', { at: s(40), place: 'Library' }, s(37), actors.co),
      ev('conference.opened', { attendees: ['child', 'mother', 'grandma'] }, s(40), actors.co),
      ev('information.completed', { childWishes: 'to live at home', recordedBy: 'child' }, s(41), actors.co),
      ev(
        'deliberation.completed',
        { plan: { items: [{ what: 'school run', owner: 'grandma', verifier: 'co1', dueAt: s(50) }] } },
        s(42),
        actors.co,
      ),
      ev('plan.approved', {}, s(43)),
    );
    expect(c.phase).toBe('followUp');
    expect(c.snapshot.context.nextMeetingAt).toBe(s(103));
    expect(c.series('promise', 'p1').map((d) => [d.dueAt, d.level])).toEqual([
      [s(50), 'reminder'],
      [s(55), 'lapsed'],
      [s(60), 'coordinator'],
      [s(65), 'supervisor'],
    ]);
    expect(c.refuse(timer(c.next('promise', 'p1'), plus(s(50), -1))).rule).toBe('timerStepDue');
    for (let i = 0; i < 4; i++) c.fire('promise', 'p1');
    expect(c.series('promise')).toEqual([]);
    expect(c.next('meetingReminder')).toMatchObject({ dueAt: s(98) });
    c.fire('meetingReminder');
    expect(c.series('meeting').map((d) => d.dueAt)).toEqual([s(108), s(113), s(118), s(123)]);
    c.fire('meeting');
    c.send(
      ev(
        'meeting.held',
        {
          attendees: ['mother'],
          reviews: [{ promiseId: 'p1', outcome: 'kept' }],
          newPromises: [],
          close: { reason: 'needsMet' },
        },
        s(110),
        actors.co,
      ),
    );
    expect(c.phase).toBe('closed');
    expect(c.history).toHaveLength(20);
    expect(Date.parse(c.snapshot.context.updatedAt) - Date.parse(T0)).toBe(110 * SECOND);
  });
});

// BUG: due times are compared and sorted as strings. A date late in year 9999 (a valid UTC ISO time) plus a
// duration falls into year 10000, written `+010000-…`, which sorts before every four-digit year: the step is
// listed first and accepted at once, ~8000 years early.
it('a ladder step due after year 9999 is neither listed first nor accepted now', () => {
  const c = new Case(builtInVariant('network-meeting')).send(
    ev('participants.mapped', { participants: family }, at(0.1)),
    ev('meeting.scheduled', { at: '9999-12-31T00:00:00.000Z', place: 'Far away' }, at(0.2)),
  );
  const grace = c.next('meeting');
  expect(grace.dueAt).toBe('+010000-01-07T00:00:00.000Z');
  expect(c.refuse(timer(grace, at(1))).rule).toBe('timerStepDue');
  expect(deadlinesOf(c.config, c.snapshot)[0]).toMatchObject({
    kind: 'meetingReminder',
    dueAt: '9999-12-28T00:00:00.000Z',
  });
});
