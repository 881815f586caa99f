import type { TimerType } from '../../contracts/src';
import { openPromises, promiseById, type CaseContext } from './context';
import { addDuration, subtractDuration } from './duration';
import type { EscalationStep, VariantConfig } from './variant-config';

/** What a deadline is about; `ref` names the promise, meeting time or deadline within its kind. */
export type DeadlineKind =
  'promise' | 'conference' | 'meetingReminder' | 'meeting' | 'meetingDate' | 'planLetter';

/** One pending step of a deadline series, with the timer event the workflow feeds when it is due. */
export interface Deadline {
  kind: DeadlineKind;
  ref: string;
  level?: string;
  dueAt: string;
  /** Index of this step within its series; only the first pending step of a series may fire. */
  step: number;
  event: { type: TimerType; payload: Record<string, unknown> };
}

export const seriesKey = (kind: DeadlineKind, ref: string) => `${kind}:${ref}`;

/** Steps of a series already taken: on the promise for promises, in `timers` for the case's own series. */
export function stepsTaken(ctx: CaseContext, kind: DeadlineKind, ref: string): number {
  if (kind === 'promise') return promiseById(ctx, ref)?.laddered ?? 0;
  return ctx.timers[seriesKey(kind, ref)] ?? 0;
}

interface Subject {
  owner: string[];
  verifier: string[];
}

/** Resolves ladder recipient kinds to user ids, participant ids or a role address; never free text. */
export function recipientsOf(ctx: CaseContext, notify: EscalationStep['notify'], subject: Subject): string[] {
  const organisers = ctx.coordinators.length > 0 ? ctx.coordinators.map((c) => c.sub) : [ctx.caseworker.sub];
  const out: string[] = [];
  for (const kind of notify) {
    if (kind === 'owner') out.push(...subject.owner);
    else if (kind === 'verifier') out.push(...subject.verifier);
    else if (kind === 'caseworker') out.push(ctx.caseworker.sub);
    else if (kind === 'coordinators') out.push(...organisers);
    else out.push(`role:supervisor@${ctx.caseworker.unit}`);
  }
  return [...new Set(out)];
}

/** Which deadline series run in a phase: a rule of the process, kept here and nowhere else. */
function activeKinds(config: VariantConfig, phase: string): Set<DeadlineKind> {
  const kinds = new Set<DeadlineKind>();
  if (phase === 'closed') return kinds;
  kinds.add('promise');
  switch (config.template) {
    case 'fgc':
    case 'acute':
      if (phase === 'preparation') kinds.add('conference');
      if (phase === 'followUp') kinds.add('meetingReminder').add('meeting');
      break;
    case 'network-mapping':
      if (phase === 'meeting' || phase === 'continuation') kinds.add('meetingReminder').add('meeting');
      if (phase === 'planDelivery') kinds.add('planLetter');
      break;
    case 'network-meeting':
      if (phase === 'meeting' || phase === 'actionPeriod') kinds.add('meetingReminder').add('meeting');
      if (phase === 'actionPeriod') kinds.add('meetingDate');
      break;
  }
  return kinds;
}

function meetingReminderBefore(config: VariantConfig): string {
  return config.durations.meetingReminderBefore;
}

/**
 * Every pending timer step of the case, earliest first: promise ladders, the conference deadline,
 * meeting reminders and grace ladders, the network-meeting's next date and the plan letter.
 */
export function pendingDeadlines(
  config: VariantConfig,
  phase: string,
  ctx: CaseContext,
  onlyRef?: string,
  nextOnly = false,
): Deadline[] {
  const kinds = activeKinds(config, phase);
  const out: Deadline[] = [];
  const wanted = (ref: string) => onlyRef === undefined || onlyRef === ref;
  const done = (kind: DeadlineKind, ref: string) => stepsTaken(ctx, kind, ref);

  /**
   * A ladder from `base`; deadlines (not promises or meetings) open with `deadline.reached` instead of a
   * reminder. Steps already taken are skipped before any date arithmetic; `nextOnly` stops after the first.
   */
  const ladder = (
    kind: DeadlineKind,
    ref: string,
    base: string,
    subject: Subject,
    extra: Record<string, unknown>,
  ) => {
    const isDeadline = kind === 'conference' || kind === 'planLetter';
    const taken = done(kind, ref);
    let step = 0;
    const emit = (d: Omit<Deadline, 'step'>) => out.push({ ...d, step });
    if (isDeadline) {
      if (step >= taken)
        emit({ kind, ref, dueAt: base, event: { type: 'deadline.reached', payload: { kind, ref } } });
      step++;
    }
    for (const s of config.escalation) {
      if (isDeadline && s.level === 'reminder') continue;
      if (step >= taken && !(nextOnly && step > taken)) {
        const recipients = recipientsOf(ctx, s.notify, subject);
        const payload =
          s.level === 'reminder' ? { ...extra, recipients } : { ...extra, level: s.level, recipients };
        emit({
          kind,
          ref,
          level: s.level,
          dueAt: addDuration(base, s.after),
          event: { type: s.level === 'reminder' ? 'reminder.sent' : 'escalation.raised', payload },
        });
      }
      step++;
    }
  };

  const organisers = {
    owner: ctx.coordinators.length ? ctx.coordinators.map((c) => c.sub) : [ctx.caseworker.sub],
    verifier: [ctx.caseworker.sub],
  };

  if (kinds.has('promise')) {
    const candidates = onlyRef === undefined ? openPromises(ctx) : [promiseById(ctx, onlyRef)];
    for (const p of candidates) {
      if (!p || p.status !== 'open') continue;
      ladder('promise', p.id, p.dueAt, { owner: [p.owner], verifier: [p.verifier] }, { promiseId: p.id });
    }
  }
  if (
    kinds.has('conference') &&
    wanted('conference') &&
    ctx.agreement &&
    'conferenceWithin' in config.durations
  ) {
    const from = ctx.reconvenedAt ?? ctx.agreement.at;
    ladder('conference', 'conference', addDuration(from, config.durations.conferenceWithin), organisers, {
      deadline: 'conference',
    });
  }
  const at = ctx.nextMeetingAt && wanted(ctx.nextMeetingAt) ? ctx.nextMeetingAt : null;
  if (at && kinds.has('meetingReminder') && done('meetingReminder', at) === 0) {
    const everyone = [
      ...ctx.participants.map((p) => p.id),
      ctx.caseworker.sub,
      ...ctx.coordinators.map((c) => c.sub),
    ];
    out.push({
      kind: 'meetingReminder',
      ref: at,
      dueAt: subtractDuration(at, meetingReminderBefore(config)),
      step: 0,
      event: { type: 'reminder.sent', payload: { meetingAt: at, recipients: [...new Set(everyone)] } },
    });
  }
  if (at && kinds.has('meetingDate') && done('meetingDate', at) === 0) {
    out.push({
      kind: 'meetingDate',
      ref: at,
      dueAt: at,
      step: 0,
      event: { type: 'deadline.reached', payload: { kind: 'meetingDate', ref: at } },
    });
  }
  if (at && kinds.has('meeting') && 'meetingGrace' in config.durations) {
    ladder('meeting', at, addDuration(at, config.durations.meetingGrace), organisers, { meetingAt: at });
  }
  if (kinds.has('planLetter') && wanted('planLetter') && ctx.planLetterDueAt) {
    ladder('planLetter', 'planLetter', ctx.planLetterDueAt, organisers, { deadline: 'planLetter' });
  }
  return (
    out
      .map((d, i) => ({ d, i }))
      // Instants, not strings: a due time past year 9999 is written '+010000-…' and would sort first.
      .sort((a, b) => Date.parse(a.d.dueAt) - Date.parse(b.d.dueAt) || a.i - b.i)
      .map(({ d }) => d)
  );
}

/** The series a timer event's payload names: a promise, a meeting time, or a deadline kind (its own ref). */
function refOf(payload: unknown): string | undefined {
  const p = (payload ?? {}) as {
    ref?: unknown;
    promiseId?: unknown;
    meetingAt?: unknown;
    deadline?: unknown;
  };
  const ref = p.ref ?? p.promiseId ?? p.meetingAt ?? p.deadline;
  return typeof ref === 'string' ? ref : undefined;
}

/** The step a timer event stands for, if it is the next step of its series and due at the event's time. */
export function matchDueStep(
  config: VariantConfig,
  phase: string,
  ctx: CaseContext,
  event: { type: string; at: string; payload: unknown },
): Deadline | undefined {
  // The guard and the reducer of one transition ask the same question; the case's promises and timers
  // are the same objects both times (only seq and time are stamped in between).
  const cached = matches.get(event);
  if (cached && cached.promises === ctx.promises && cached.timers === ctx.timers && cached.phase === phase)
    return cached.step;
  const wanted = JSON.stringify(event.payload);
  const at = Date.parse(event.at);
  const step = pendingDeadlines(config, phase, ctx, refOf(event.payload), true).find(
    (d) =>
      d.step === stepsTaken(ctx, d.kind, d.ref) &&
      d.event.type === event.type &&
      Date.parse(d.dueAt) <= at &&
      JSON.stringify(d.event.payload) === wanted,
  );
  matches.set(event, { promises: ctx.promises, timers: ctx.timers, phase, step });
  return step;
}

const matches = new WeakMap<
  object,
  { promises: unknown; timers: unknown; phase: string; step: Deadline | undefined }
>();
