/**
 * Event generators for model-based and property tests: given a case snapshot, propose concrete events with
 * the outcome the product specification expects (accept or reject), the timer events that are due, and a few
 * malformed inputs. Times are taken from the snapshot (`updatedAt` plus some hours), never from a clock.
 */
import {
  SYSTEM_ACTOR,
  type Actor,
  type CaseEvent,
  type CommandType,
  type PayloadOf,
} from '../../libs/contracts/src';
import {
  deadlinesOf,
  eventsOf,
  openPromises,
  phaseOf,
  stepsTaken,
  type CaseSnapshot,
  type Deadline,
  type VariantConfig,
  promisesOf,
} from '../../libs/process/src';
import { actors, agreement, family } from './scenarios';

export const HOUR = 3_600_000;

export type Expectation = 'accept' | 'reject';

/** An event and what the specification says the process does with it. */
export interface Proposal {
  event: CaseEvent;
  expect: Expectation;
  /** Why, for failure messages. */
  why: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `updatedAt` of the snapshot plus `hours`. */
export function after(snapshot: CaseSnapshot, hours: number): string {
  return iso(Date.parse(snapshot.context.updatedAt) + hours * HOUR);
}

function cmd<T extends CommandType>(type: T, payload: PayloadOf<T>, when: string, actor: Actor): CaseEvent {
  return { type, at: when, actor, payload } as CaseEvent;
}

const conference = (c: VariantConfig) => c.template === 'fgc' || c.template === 'acute';

function coordinatorsRequired(config: VariantConfig): number {
  if (config.template === 'fgc' || config.template === 'acute') return config.counts.coordinatorsRequired;
  if (config.template === 'network-mapping') return config.counts.leadersRequired;
  return 0;
}

/** The first pending step of every deadline series: the only steps that may fire now or later. */
export function nextSteps(config: VariantConfig, snapshot: CaseSnapshot): Deadline[] {
  const ctx = snapshot.context;
  return deadlinesOf(config, snapshot).filter((d) => d.step === stepsTaken(ctx, d.kind, d.ref));
}

/** A timer event of a deadline step, raised by the workflow at `when` (default: when due, never before the last event). */
export function timerEvent(d: Deadline, snapshot: CaseSnapshot, when?: string): CaseEvent {
  const due = Date.parse(d.dueAt);
  const at = when ?? iso(Math.max(due, Date.parse(snapshot.context.updatedAt)));
  return { type: d.event.type, at, actor: SYSTEM_ACTOR, payload: d.event.payload } as CaseEvent;
}

/**
 * Timer events as the workflow raises them: the earliest pending step (accept), and the same step raised a
 * second too early and the step after it raised out of order (reject). `all` offers every series' next step.
 */
export function timerProposals(config: VariantConfig, snapshot: CaseSnapshot, all = false): Proposal[] {
  const out: Proposal[] = [];
  const pending = deadlinesOf(config, snapshot);
  const updated = Date.parse(snapshot.context.updatedAt);
  const next = nextSteps(config, snapshot);
  for (const d of all ? next : next.slice(0, 1)) {
    out.push({
      event: timerEvent(d, snapshot),
      expect: 'accept',
      why: `${d.kind}:${d.ref} step ${d.step} is due`,
    });
    const early = Date.parse(d.dueAt) - 1000;
    if (early >= updated) {
      out.push({
        event: timerEvent(d, snapshot, iso(early)),
        expect: 'reject',
        why: `${d.kind}:${d.ref} raised 1 s early`,
      });
    }
    const skipped = pending.find((x) => x.kind === d.kind && x.ref === d.ref && x.step === d.step + 1);
    if (skipped)
      out.push({
        event: timerEvent(skipped, snapshot),
        expect: 'reject',
        why: `${d.kind}:${d.ref} step ${skipped.step} before ${d.step}`,
      });
  }
  return out;
}

const familyIds = (s: CaseSnapshot) =>
  s.context.participants.filter((p) => p.side === 'family').map((p) => p.id);
const coordinatorActor = (s: CaseSnapshot): Actor =>
  s.context.coordinators[0] ? { sub: s.context.coordinators[0].sub, role: 'coordinator' } : actors.co;
const organiser = (s: CaseSnapshot) => s.context.coordinators[0]?.sub ?? s.context.caseworker.sub;

/** Reviews of every open promise, all with the same outcome. */
function reviewAll(s: CaseSnapshot, outcome: 'kept' | 'dropped' | 'notKept') {
  return openPromises(s.context).map((p) => ({
    promiseId: p.id,
    outcome,
    ...(outcome === 'dropped' ? { note: 'no longer needed' } : {}),
    ...(outcome === 'notKept' ? { newSolution: 'grandma helps instead' } : {}),
  }));
}

/** A plausible, schema-valid event of any command type: what a user would send in this state. */
export function sampleCommand(config: VariantConfig, s: CaseSnapshot, type: CommandType): CaseEvent {
  const ctx = s.context;
  const co = coordinatorActor(s);
  const cw: Actor = { sub: ctx.caseworker.sub, role: 'caseworker' };
  const fam = familyIds(s);
  const owner = fam[0] ?? ctx.caseworker.sub;
  const t = after(s, 1);
  const open = openPromises(ctx)[0]?.id ?? 'p1';
  const promise = {
    what: 'takes the child to school',
    owner,
    verifier: organiser(s),
    dueAt: after(s, 24 * 10),
  };
  const attendees = fam.length ? fam : [ctx.caseworker.sub];
  switch (type) {
    case 'agreement.recorded':
      return cmd(
        type,
        { ...agreement, ...(config.template === 'acute' ? { crisis: 'emergency placement' } : {}) },
        t,
        cw,
      );
    case 'coordinator.assigned':
      return cmd(
        type,
        { coordinatorId: `co${ctx.coordinators.length + 1}`, unit: `unit${ctx.coordinators.length + 1}` },
        t,
        cw,
      );
    case 'participants.mapped':
      return cmd(type, { participants: family }, t, co);
    case 'supportPerson.appointed':
      return cmd(type, { name: 'Testi Mummo', forParticipantId: 'child' }, t, co);
    case 'summary.received': {
      const missing = ctx.agreement?.professionals.find(
        (p) => !ctx.summaries.some((x) => x.professional === p.name),
      );
      const p = missing ?? ctx.agreement?.professionals[0] ?? agreement.professionals[0]!;
      return cmd(type, { professional: p.name, organisation: p.organisation, disclosure: 'all' }, t, co);
    }
    case 'meeting.scheduled':
      return cmd(type, { at: after(s, 24 * 2), place: 'Library' }, t, co);
    case 'conference.opened':
      return cmd(type, { attendees }, t, co);
    case 'information.completed':
      return cmd(type, { childWishes: 'to live at home', recordedBy: 'child' }, t, co);
    case 'deliberation.completed':
      return cmd(type, { plan: { items: [promise] } }, t, co);
    case 'deliberation.failed':
      return cmd(type, { reason: 'no agreement' }, t, co);
    case 'plan.approved':
      return cmd(type, {}, t, cw);
    case 'plan.rejected':
      return cmd(type, { reasons: ['too vague'] }, t, cw);
    case 'meeting.held': {
      const newPromises =
        config.template === 'network-meeting' || config.template === 'network-mapping'
          ? attendees.map((a) => ({ ...promise, owner: a }))
          : [];
      return cmd(
        type,
        { attendees, reviews: reviewAll(s, 'kept'), newPromises, nextMeetingAt: after(s, 24 * 21) },
        t,
        co,
      );
    }
    case 'planLetter.sent':
      return cmd(type, {}, t, co);
    case 'promise.made':
      return cmd(type, promise, t, co);
    case 'promise.kept':
      return cmd(type, { promiseId: open }, t, co);
    case 'promise.notKept':
      return cmd(type, { promiseId: open, newSolution: 'another way' }, t, co);
    case 'case.closed':
      return cmd(type, { reason: 'needsMet' }, t, cw);
    case 'case.reopened':
      return cmd(type, { reason: 'new concern' }, t, cw);
  }
}

/** The event with some payload fields replaced; a field set to `undefined` is removed. */
export function changed(e: CaseEvent, payload: Record<string, unknown>): CaseEvent {
  const merged: Record<string, unknown> = { ...(e.payload as object), ...payload };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return { ...e, payload: merged } as CaseEvent;
}

/** Limits that keep the state space small: how many promises and meetings a generated case may have. */
export const bounds = { promises: 3, meetings: 2 };

/**
 * Well-formed events for the snapshot, each with the outcome the specification demands. Events that change
 * nothing but counters are offered only while the case is small, so that traversal stays bounded.
 */
export function proposals(config: VariantConfig, s: CaseSnapshot): Proposal[] {
  const ctx = s.context;
  const phase = phaseOf(s.value);
  const out: Proposal[] = [];
  const yes = (event: CaseEvent, why: string) => out.push({ event, expect: 'accept', why });
  const no = (event: CaseEvent, why: string) => out.push({ event, expect: 'reject', why });
  const sample = <T extends CommandType>(type: T) => sampleCommand(config, s, type);
  const withPayload = changed;
  const fam = familyIds(s);
  const open = openPromises(ctx);

  if (phase === 'closed') {
    // Reopening a case that has had promises is left to the property tests: it doubles the state space.
    if (promisesOf(ctx).length === 0) yes(sample('case.reopened'), 'a closed case can be reopened');
    no(sample('case.closed'), 'a closed case cannot close again');
    return out;
  }

  // Everywhere but closed: closing, and the promise commands where the phase has them.
  const closeReason = config.template === 'network-meeting' ? 'declined' : 'other';
  const closing = withPayload(sample('case.closed'), { reason: closeReason });
  // product.md: in private deliberation only the family's outcome can be recorded.
  if (phase === 'privateDeliberation') no(closing, 'the caseworker is absent from private deliberation');
  else yes(closing, 'a case can be closed in any other phase');
  if (config.template === 'network-meeting')
    no(withPayload(sample('case.closed'), { reason: 'other' }), 'reason not in closeReasons');

  const promisePhases: Record<string, string[]> = {
    fgc: ['followUp'],
    acute: ['followUp'],
    'network-mapping': ['planDelivery', 'continuation'],
    'network-meeting': ['meeting', 'actionPeriod'],
  };
  if (promisePhases[config.template]!.includes(phase)) {
    if (promisesOf(ctx).length < bounds.promises && fam.length > 0) {
      yes(sample('promise.made'), 'a promise by a participant, due in the future');
      no(withPayload(sample('promise.made'), { owner: 'stranger' }), 'owner takes no part in the case');
      no(withPayload(sample('promise.made'), { dueAt: ctx.updatedAt }), 'promise due now, not in the future');
    }
    if (open[0]) {
      yes(sample('promise.kept'), 'an open promise is kept');
      yes(sample('promise.notKept'), 'an open promise is not kept');
    }
    no(withPayload(sample('promise.kept'), { promiseId: 'p99' }), 'no such open promise');
    const resolved = promisesOf(ctx).find((p) => p.status !== 'open');
    if (resolved)
      no(withPayload(sample('promise.kept'), { promiseId: resolved.id }), 'promise already resolved');
  } else {
    no(sample('promise.made'), `no promises in ${phase}`);
  }

  if (conference(config)) conferenceProposals(config, s, phase, yes, no, sample, withPayload);
  else if (config.template === 'network-mapping')
    mappingProposals(config, s, phase, yes, no, sample, withPayload);
  else meetingProposals(config, s, phase, yes, no, sample, withPayload);

  out.push(...timerProposals(config, s));
  return out;
}

type Add = (event: CaseEvent, why: string) => void;
type Sample = <T extends CommandType>(type: T) => CaseEvent;
type With = (e: CaseEvent, payload: Record<string, unknown>) => CaseEvent;

function conferenceProposals(
  config: VariantConfig,
  s: CaseSnapshot,
  phase: string,
  yes: Add,
  no: Add,
  sample: Sample,
  withPayload: With,
) {
  if (config.template !== 'fgc' && config.template !== 'acute') return;
  const ctx = s.context;
  const acute = config.template === 'acute';
  const fam = familyIds(s);
  switch (phase) {
    case 'preparation': {
      if (!ctx.agreement) {
        yes(sample('agreement.recorded'), 'the agreement opens preparation');
        if (acute)
          no(withPayload(sample('agreement.recorded'), { crisis: undefined }), 'acute needs the crisis');
        no(sample('coordinator.assigned'), 'coordinators come after the agreement');
        no(sample('participants.mapped'), 'participants come after the agreement');
        return;
      }
      no(sample('agreement.recorded'), 'the agreement is recorded once');
      const assigned = sample('coordinator.assigned');
      if (ctx.coordinators.length < config.counts.coordinatorsRequired) {
        yes(assigned, 'a coordinator from another unit');
        no(
          withPayload(assigned, { unit: ` ${ctx.caseworker.unit.toUpperCase()} ` }),
          "coordinator from the caseworker's unit",
        );
        no(withPayload(assigned, { coordinatorId: ctx.caseworker.sub }), 'the caseworker cannot coordinate');
        if (ctx.coordinators[0])
          no(withPayload(assigned, { coordinatorId: ctx.coordinators[0].sub }), 'already assigned');
      } else {
        no(assigned, 'all coordinators are assigned');
      }
      if (ctx.participants.length === 0) {
        yes(sample('participants.mapped'), 'the family maps who is invited');
        no(sample('supportPerson.appointed'), 'support person needs mapped participants');
      } else if (!ctx.supportPerson) {
        yes(sample('supportPerson.appointed'), 'a support person for the child');
        no(
          withPayload(sample('supportPerson.appointed'), { forParticipantId: 'teacher' }),
          'not for a professional',
        );
      }
      const missing = ctx.agreement.professionals.some(
        (p) => !ctx.summaries.some((x) => x.professional === p.name),
      );
      if (missing) {
        const summary = sample('summary.received');
        yes(summary, 'a summary from an agreed professional');
        const oral = withPayload(summary, { oral: true });
        if (config.rules.oralSummariesAllowed) yes(oral, 'this variant allows oral summaries');
        else no(oral, 'this variant needs written summaries');
        no(withPayload(summary, { professional: 'Somebody Else' }), 'not a professional of the agreement');
      }
      if (!ctx.nextMeetingAt) {
        yes(sample('meeting.scheduled'), 'the conference is scheduled in the future');
        no(withPayload(sample('meeting.scheduled'), { at: ctx.updatedAt }), 'meeting not in the future');
      }
      const ready =
        ctx.coordinators.length >= config.counts.coordinatorsRequired &&
        ctx.participants.length > 0 &&
        (!config.rules.supportPersonRequired || ctx.supportPerson !== null) &&
        ctx.agreement.professionals.every((p) => ctx.summaries.some((x) => x.professional === p.name)) &&
        ctx.nextMeetingAt !== null &&
        (!config.rules.crisisRequired || !!ctx.crisis);
      const opened = sample('conference.opened');
      if (ready) {
        yes(opened, 'every preparation step is done');
        no(withPayload(opened, { attendees: [...fam, 'stranger'] }), 'an attendee who is not mapped');
      } else {
        no(opened, 'preparation is not complete');
      }
      no(sample('information.completed'), 'the conference has not opened');
      return;
    }
    case 'information':
      yes(sample('information.completed'), 'the child tells their wishes');
      if (ctx.supportPerson)
        yes(
          withPayload(sample('information.completed'), { recordedBy: 'supportPerson' }),
          'the support person tells them',
        );
      no(sample('deliberation.completed'), 'deliberation comes after information');
      return;
    case 'privateDeliberation': {
      const done = sample('deliberation.completed');
      yes(done, 'the family writes a plan');
      const item = { what: 'x', owner: fam[0] ?? 'child', verifier: organiser(s), dueAt: ctx.updatedAt };
      no(withPayload(done, { plan: { items: [item] } }), 'a plan item due now, not in the future');
      no(
        withPayload(done, { plan: { items: [{ ...item, dueAt: after(s, 48), owner: 'stranger' }] } }),
        'plan item owner unknown',
      );
      yes(sample('deliberation.failed'), 'the family does not agree');
      no(sample('plan.approved'), 'nothing to approve yet');
      return;
    }
    case 'presentation':
      yes(sample('plan.approved'), 'the caseworker approves');
      no(
        withPayload(sample('plan.approved'), { firstFollowUpAt: ctx.updatedAt }),
        'follow-up not in the future',
      );
      yes(sample('plan.rejected'), 'the caseworker rejects (back to deliberation or closed)');
      no(sample('meeting.held'), 'no follow-up meeting before approval');
      return;
    case 'followUp': {
      if (ctx.meetingsHeld < bounds.meetings)
        yes(sample('meeting.held'), 'a follow-up reviews every open promise and sets the next date');
      const held = sample('meeting.held');
      const closing = withPayload(held, { nextMeetingAt: undefined, close: { reason: 'needsMet' } });
      yes(closing, 'a follow-up closes the case');
      yes(withPayload(closing, { reviews: reviewAll(s, 'dropped') }), 'promises dropped with reasons');
      if (openPromises(ctx).length > 0) {
        no(withPayload(held, { reviews: [] }), 'an open promise is not reviewed');
        no(
          withPayload(held, { reviews: reviewAll(s, 'dropped').map(({ note: _n, ...r }) => r) }),
          'dropped without a reason',
        );
      }
      no(withPayload(held, { nextMeetingAt: ctx.updatedAt }), 'next meeting not in the future');
      no(withPayload(held, { attendees: ['stranger'] }), 'an attendee who is not mapped');
      no(sample('plan.approved'), 'the plan is approved already');
      return;
    }
  }
}

function mappingProposals(
  config: VariantConfig,
  s: CaseSnapshot,
  phase: string,
  yes: Add,
  no: Add,
  sample: Sample,
  withPayload: With,
) {
  if (config.template !== 'network-mapping') return;
  const ctx = s.context;
  const held = sample('meeting.held');
  const closing = withPayload(held, { nextMeetingAt: undefined, close: { reason: 'needsMet' } });
  const meeting = () => {
    if (ctx.meetingsHeld < bounds.meetings) yes(held, 'the meeting writes a plan and agrees a continuation');
    yes(closing, 'the meeting writes a plan and decides to close after the letter');
    no(withPayload(held, { newPromises: [] }), 'a meeting without a plan');
    if (openPromises(ctx).length > 0)
      no(withPayload(held, { reviews: [] }), 'an open promise is not reviewed');
    yes(sample('meeting.scheduled'), 'the meeting can be rescheduled');
    no(withPayload(sample('meeting.scheduled'), { at: ctx.updatedAt }), 'meeting not in the future');
    no(sample('planLetter.sent'), 'no plan to send yet');
  };
  switch (phase) {
    case 'preparation': {
      const assigned = sample('coordinator.assigned');
      if (ctx.coordinators.length < config.counts.leadersRequired) {
        yes(assigned, 'an outside leader');
        no(
          withPayload(assigned, { coordinatorId: ctx.caseworker.sub }),
          "the client's own social worker cannot lead",
        );
      } else {
        no(assigned, 'the leader is assigned');
      }
      if (ctx.participants.length === 0) yes(sample('participants.mapped'), 'the network is mapped');
      const scheduled = sample('meeting.scheduled');
      if (ctx.coordinators.length >= coordinatorsRequired(config) && ctx.participants.length > 0)
        yes(scheduled, 'leader and network ready');
      else no(scheduled, 'leader or network missing');
      no(held, 'no meeting scheduled');
      return;
    }
    case 'meeting':
      meeting();
      return;
    case 'planDelivery':
      yes(sample('planLetter.sent'), 'the plan letter is mailed');
      no(held, 'the letter comes first');
      return;
    case 'continuation':
      meeting();
      return;
  }
}

function meetingProposals(
  config: VariantConfig,
  s: CaseSnapshot,
  phase: string,
  yes: Add,
  no: Add,
  sample: Sample,
  withPayload: With,
) {
  if (config.template !== 'network-meeting') return;
  const ctx = s.context;
  const held = sample('meeting.held');
  const fam = familyIds(s);
  switch (phase) {
    case 'preparation': {
      if (ctx.participants.length === 0) yes(sample('participants.mapped'), 'participants are convened');
      const scheduled = sample('meeting.scheduled');
      if (ctx.participants.length > 0) yes(scheduled, 'participants are mapped');
      else no(scheduled, 'no participants yet');
      no(held, 'no meeting scheduled');
      return;
    }
    case 'meeting':
    case 'actionPeriod': {
      if (ctx.meetingsHeld < bounds.meetings) yes(held, 'every present participant promises; next date set');
      const closing = withPayload(held, { nextMeetingAt: undefined, close: { reason: 'needsMet' } });
      yes(closing, 'the meeting ends the work: needs met');
      no(withPayload(closing, { close: { reason: 'other' } }), 'reason not in closeReasons');
      if (fam.length > 1) {
        const p = (held.payload as PayloadOf<'meeting.held'>).newPromises;
        no(withPayload(held, { newPromises: p.slice(1) }), 'a present participant made no promise');
      }
      no(withPayload(held, { nextMeetingAt: undefined }), 'neither next date nor closure');
      if (phase === 'actionPeriod') yes(sample('meeting.scheduled'), 'the next meeting is rescheduled');
      return;
    }
  }
}

/** Inputs that are not events at all, or events of the wrong shape: always refused as `payloadMatchesSchema`. */
export function malformed(config: VariantConfig, s: CaseSnapshot): unknown[] {
  const t = after(s, 1);
  const types = eventsOf[config.template];
  const any = sampleCommand(config, s, types[0]!);
  return [
    null,
    undefined,
    42,
    'agreement.recorded',
    [],
    {},
    { type: 'no.such.event', at: t, actor: actors.cw, payload: {} },
    { ...any, payload: { ...(any.payload as object), unexpected: true } },
    { ...any, at: 'yesterday' },
    { ...any, at: '2026-01-05T08:00:00+02:00' },
    { ...any, actor: { sub: '', role: 'caseworker' } },
    { ...any, actor: { sub: 'x', role: 'janitor' } },
    { type: 'case.closed', at: t, actor: actors.cw, payload: { reason: 'bored' } },
    {
      type: 'promise.made',
      at: t,
      actor: actors.cw,
      payload: { what: '', owner: 'mother', verifier: 'cw1', dueAt: t },
    },
    {
      type: 'meeting.held',
      at: t,
      actor: actors.co,
      payload: { attendees: ['mother'], reviews: [], newPromises: [] },
    },
    { type: 'reminder.sent', at: t, actor: SYSTEM_ACTOR, payload: { recipients: [] } },
    { type: 'deadline.reached', at: t, actor: SYSTEM_ACTOR, payload: { kind: 'promise' } },
    { type: 'case.opened', at: t, actor: actors.cw, payload: { variant: config.key } },
  ];
}
