/**
 * One case, one workflow. The rules live in libs/process; this file only drives them: it applies events,
 * runs their effects as activities, and sleeps until the next deadline the process names.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AuditAppend, CaseActivities, ProjectionUpsert } from '../activities/contracts';
import { SYSTEM_ACTOR, type CaseEvent } from '../libs/contracts/src';
import {
  apply,
  deadlinesOf,
  openingEvent,
  start,
  viewOf,
  type ApplyResult,
  type CaseSnapshot,
  type Effect,
} from '../libs/process/src';
import {
  TRANSITION_REJECTED,
  applyEventUpdate,
  openedUpdate,
  snapshotQuery,
  viewQuery,
  type CaseWorkflowInput,
  type EventEnvelope,
} from './definitions';
import { Alarm } from './alarm';
import { partsOf, projectionOf, unchangedParts, type ProjectionParts } from './projection';
import { caseSearchAttributes } from './search-attributes';

// The audit log and the projection are on the hot path of every command: a local activity keeps them in
// the same workflow task. It retries until the database answers, and is idempotent.
const local = proxyLocalActivities<Pick<CaseActivities, 'recordEvent' | 'appendAudit' | 'upsertProjection'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});
const remote = proxyActivities<Pick<CaseActivities, 'queueNotifications' | 'renderDocument'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Workflow versions (`patched` marks a run of new code in its history, so older histories still replay).
 * `lean-event-path`: one local activity records the audit entry and the projection in one transaction,
 * search attributes are upserted only when they change, the deadline timer is kept while the next due
 * time stays, and an event is answered once recorded, its notifications and documents following. Before
 * it: two local activities, an upsert and a restarted timer per event, and the answer after the effects.
 */
const LEAN_EVENT_PATH = 'lean-event-path';

/** Workflow time: deterministic inside the Temporal sandbox (the task's start time), unlike a real clock. */
const now = (): string => new Date(Date.now()).toISOString();

export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  const { caseId, config } = input;
  const opening = { caseId, caseworker: input.opening.caseworker, openedAt: now() };
  let snapshot: CaseSnapshot = input.snapshot ?? start(config, opening);
  let changes = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const lean = patched(LEAN_EVENT_PATH);

  /** Commands and timers take turns: each event is applied and recorded before the next. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Never earlier than the last accepted event, so the history's times only move forward. */
  const stamp = () => {
    const t = now();
    return t < snapshot.context.updatedAt ? snapshot.context.updatedAt : t;
  };

  /**
   * Records an accepted event: audit entry and projection together, in one transaction (an event the log
   * refused, a bug rather than an outage, leaves the case as it was). Answered once recorded: the event's
   * notifications and documents follow, and an outage of theirs never fails an accepted command.
   */
  const record = async (event: CaseEvent, next: CaseSnapshot, effects: Effect[]) => {
    const entry = {
      caseId,
      seq: next.context.seq,
      at: event.at,
      actor: event.actor,
      type: event.type,
      payload: event.payload,
    };
    const projection = projectionOf(config, next);
    if (!lean) return recordBeforeLeanPath(entry, next, projection, effects);
    const parts = partsOf(projection);
    await local.recordEvent({
      entry,
      projection: { ...projection, unchanged: unchangedParts(recorded, parts) },
    });
    recorded = parts;
    snapshot = next;
    changes++;
    const { view, deadlines } = projection;
    if (input.indexed !== false) index(view.phase, deadlines[0]?.dueAt);
    if (effects.length > 0) {
      const running = Promise.all(effects.map((effect) => runEffect(effect, view))).catch((error: unknown) =>
        log.error('effect failed', { caseId, seq: view.lastSeq, error: String(error) }),
      );
      effectsRunning = effectsRunning.then(() => running);
    }
    return view;
  };

  /** Before `lean-event-path`, kept so that those histories replay: two local activities, effects awaited. */
  const recordBeforeLeanPath = async (
    entry: AuditAppend,
    next: CaseSnapshot,
    projection: ProjectionUpsert,
    effects: Effect[],
  ) => {
    await local.appendAudit(entry);
    snapshot = next;
    changes++;
    await local.upsertProjection(projection);
    const { view, deadlines } = projection;
    await Promise.all(effects.map((effect) => runEffect(effect, view)));
    if (input.indexed !== false) index(view.phase, deadlines[0]?.dueAt);
    return view;
  };

  /** The parts of the projection last recorded in this run. */
  let recorded: ProjectionParts | undefined;
  /** Effects still running; awaited before continue-as-new so that none is lost with the run. */
  let effectsRunning: Promise<unknown> = Promise.resolve();

  const runEffect = async (effect: Effect, view: ReturnType<typeof viewOf>) => {
    const seq = view.lastSeq;
    if (effect.type === 'notifyRecipients') {
      const { event, recipients, ...details } = effect.params as { event: string; recipients: string[] };
      await remote.queueNotifications({ caseId, seq, event, recipients, details });
    } else {
      const { document, recipients } = effect.params as {
        document: 'memo' | 'planLetter';
        recipients: string[];
      };
      await remote.renderDocument({ caseId, seq, document, recipients, view });
    }
  };

  let indexed: string | undefined;
  const index = (phase: string, nextDueAt: string | undefined) => {
    const key = `${phase} ${nextDueAt ?? ''}`;
    if (key === indexed && lean) return;
    indexed = key;
    upsertSearchAttributes([
      { key: caseSearchAttributes.caseId, value: caseId },
      { key: caseSearchAttributes.variant, value: config.key },
      { key: caseSearchAttributes.variantVersion, value: config.version },
      { key: caseSearchAttributes.phase, value: phase },
      { key: caseSearchAttributes.nextDueAt, value: nextDueAt ? new Date(nextDueAt) : null },
    ]);
  };

  /**
   * The event applied to the current snapshot. The validator's answer is kept for its handler, which runs
   * right after it on the same snapshot at the same workflow time (on replay validators do not run).
   */
  let validated:
    { envelope: EventEnvelope; snapshot: CaseSnapshot; event: CaseEvent; result: ApplyResult } | undefined;
  const attempt = (envelope: EventEnvelope) => {
    const event = { ...envelope, at: stamp() } as CaseEvent;
    const kept = validated;
    validated = undefined;
    if (kept?.envelope === envelope && kept.snapshot === snapshot && kept.event.at === event.at)
      return { event, result: kept.result };
    return { event, result: apply(config, snapshot, event) };
  };

  // The opening is queued before the handlers exist: updates buffered in the first activation are
  // dispatched as soon as their handler is set, and must line up behind case.opened.
  const opened = input.snapshot
    ? Promise.resolve()
    : exclusive(() => record(openingEvent(config, opening), snapshot, []));

  setHandler(openedUpdate, () => opened.then(() => viewOf(config, snapshot)));
  setHandler(viewQuery, () => viewOf(config, snapshot));
  setHandler(snapshotQuery, () => snapshot);
  setHandler(
    applyEventUpdate,
    (envelope) =>
      exclusive(async () => {
        const { event, result } = attempt(envelope);
        // Refused here only if an earlier update changed the case after this one was validated.
        if ('rejected' in result) throw rejection(result.rejected);
        return record(event, result.snapshot, result.effects);
      }),
    {
      validator: (envelope) => {
        const { event, result } = attempt(envelope);
        if ('rejected' in result) throw rejection(result.rejected);
        validated = { envelope, snapshot, event, result };
      },
    },
  );

  await opened;

  const limit = input.continueAsNewAfter ?? 2000;
  const tooLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > limit;
  const continueIfTooLong = async () => {
    if (!tooLong()) return;
    await condition(allHandlersFinished);
    await queue;
    await effectsRunning;
    await continueAsNew<typeof caseWorkflow>({ ...input, snapshot });
  };
  /** Applies the first pending step if it is due; false if none is (a command changed the case meanwhile). */
  const fireDueStep = () =>
    exclusive(async () => {
      const due = deadlinesOf(config, snapshot)[0];
      if (!due || Date.parse(due.dueAt) > Date.parse(now())) return false;
      const event = { ...due.event, at: stamp(), actor: SYSTEM_ACTOR } as CaseEvent;
      const result = apply(config, snapshot, event);
      if ('rejected' in result) {
        // A due step the process itself named must be accepted; anything else is a bug worth stopping for.
        log.error('timer event refused', { caseId, type: event.type, rule: result.rejected.rule });
        throw new Error(`timer event ${event.type} refused by rule ${result.rejected.rule}`);
      }
      await record(event, result.snapshot, result.effects);
      return true;
    });

  if (!lean) {
    // Before `lean-event-path`: a new timer after every change. Kept so that those histories replay.
    for (;;) {
      const next = deadlinesOf(config, snapshot)[0];
      const seen = changes;
      const wait = next ? Date.parse(next.dueAt) - Date.parse(now()) : undefined;
      if (wait === undefined) await condition(() => changes !== seen || tooLong());
      else if (wait > 0) await condition(() => changes !== seen || tooLong(), wait);
      await continueIfTooLong();
      if (next && changes === seen && Date.parse(now()) >= Date.parse(next.dueAt)) await fireDueStep();
    }
  }

  const alarm = new Alarm();
  for (;;) {
    const next = deadlinesOf(config, snapshot)[0];
    const seen = changes;
    alarm.set(next ? Date.parse(next.dueAt) : undefined, Date.parse(now()));
    await condition(() => changes !== seen || alarm.rang || tooLong());
    await continueIfTooLong();
    if (next && changes === seen && alarm.rang && !(await fireDueStep())) alarm.clear();
  }
}

function rejection(r: { rule: string; message: string; allowedEvents: string[]; state: unknown }) {
  return ApplicationFailure.create({
    type: TRANSITION_REJECTED,
    message: r.message,
    nonRetryable: true,
    details: [{ rule: r.rule, state: r.state, allowedEvents: r.allowedEvents, message: r.message }],
  });
}
