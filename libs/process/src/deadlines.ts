import type { TimerType } from '../../contracts/src';
import { openPromises, type CaseContext } from './context';
import { addDuration, subtractDuration } from './duration';
import type { EscalationStep, VariantConfig } from './variant-config';

/** What a deadline is about; `ref` names the promise, meeting time or deadline within its kind. */
export type DeadlineKind = 'promise' | 'conference' | 'meetingReminder' | 'meeting' | 'meetingDate' | 'planLetter';

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
export function pendingDeadlines(config: VariantConfig, phase: string, ctx: CaseContext): Deadline[] {
  const kinds = activeKinds(config, phase);
  const out: Deadline[] = [];
  const done = (kind: DeadlineKind, ref: string) => ctx.timers[seriesKey(kind, ref)] ?? 0;

  /** A ladder from `base`; deadlines (not promises or meetings) open with `deadline.reached` instead of a reminder. */
  const ladder = (kind: DeadlineKind, ref: string, base: string, subject: Subject, extra: Record<string, unknown>) => {
    const steps: Omit<Deadline, 'step'>[] = [];
    const isDeadline = kind === 'conference' || kind === 'planLetter';
    if (isDeadline) steps.push({ kind, ref, dueAt: base, event: { type: 'deadline.reached', payload: { kind, ref } } });
    for (const s of config.escalation) {
      if (isDeadline && s.level === 'reminder') continue;
      const recipients = recipientsOf(ctx, s.notify, subject);
      const payload =
        s.level === 'reminder' ? { ...extra, recipients } : { ...extra, level: s.level, recipients };
      steps.push({
        kind,
        ref,
        level: s.level,
        dueAt: addDuration(base, s.after),
        event: { type: s.level === 'reminder' ? 'reminder.sent' : 'escalation.raised', payload },
      });
    }
    steps.forEach((s, step) => {
      if (step >= done(kind, ref)) out.push({ ...s, step });
    });
  };

  const organisers = { owner: ctx.coordinators.length ? ctx.coordinators.map((c) => c.sub) : [ctx.caseworker.sub], verifier: [ctx.caseworker.sub] };

  if (kinds.has('promise')) {
    for (const p of openPromises(ctx)) {
      ladder('promise', p.id, p.dueAt, { owner: [p.owner], verifier: [p.verifier] }, { promiseId: p.id });
    }
  }
  if (kinds.has('conference') && ctx.agreement && 'conferenceWithin' in config.durations) {
    ladder('conference', 'conference', addDuration(ctx.agreement.at, config.durations.conferenceWithin), organisers, {
      deadline: 'conference',
    });
  }
  const at = ctx.nextMeetingAt;
  if (at && kinds.has('meetingReminder') && done('meetingReminder', at) === 0) {
    const everyone = [...ctx.participants.map((p) => p.id), ctx.caseworker.sub, ...ctx.coordinators.map((c) => c.sub)];
    out.push({
      kind: 'meetingReminder',
      ref: at,
      dueAt: subtractDuration(at, meetingReminderBefore(config)),
      step: 0,
      event: { type: 'reminder.sent', payload: { meetingAt: at, recipients: [...new Set(everyone)] } },
    });
  }
  if (at && kinds.has('meetingDate') && done('meetingDate', at) === 0) {
    out.push({ kind: 'meetingDate', ref: at, dueAt: at, step: 0, event: { type: 'deadline.reached', payload: { kind: 'meetingDate', ref: at } } });
  }
  if (at && kinds.has('meeting') && 'meetingGrace' in config.durations) {
    ladder('meeting', at, addDuration(at, config.durations.meetingGrace), organisers, { meetingAt: at });
  }
  if (kinds.has('planLetter') && ctx.planLetterDueAt) {
    ladder('planLetter', 'planLetter', ctx.planLetterDueAt, organisers, { deadline: 'planLetter' });
  }
  return out
    .map((d, i) => ({ d, i }))
    // Instants, not strings: a due time past year 9999 is written '+010000-…' and would sort first.
    .sort((a, b) => Date.parse(a.d.dueAt) - Date.parse(b.d.dueAt) || a.i - b.i)
    .map(({ d }) => d);
}

/** The step a timer event stands for, if it is the next step of its series and due at the event's time. */
export function matchDueStep(
  config: VariantConfig,
  phase: string,
  ctx: CaseContext,
  event: { type: string; at: string; payload: unknown },
): Deadline | undefined {
  const wanted = JSON.stringify(event.payload);
  return pendingDeadlines(config, phase, ctx).find(
    (d) =>
      d.step === (ctx.timers[seriesKey(d.kind, d.ref)] ?? 0) &&
      d.event.type === event.type &&
      Date.parse(d.dueAt) <= Date.parse(event.at) &&
      JSON.stringify(d.event.payload) === wanted,
  );
}
