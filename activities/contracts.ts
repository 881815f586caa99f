import type { Actor, CaseView } from '../libs/contracts/src';

/**
 * What the case workflow asks of the outside world. Every activity is idempotent under retry: the same
 * input twice changes nothing the second time; a conflicting input fails loudly.
 */

/** One accepted event, as the workflow hands it to the audit log; `hash`/`prevHash` are computed there. */
export interface AuditAppend {
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
  type: string;
  payload: unknown;
}

export interface AuditEntry extends AuditAppend {
  prevHash: string;
  hash: string;
}

/** A pending timer step as the projection stores it (for the task inbox and `overdue`). */
export interface DeadlineRow {
  kind: string;
  ref: string;
  level?: string;
  dueAt: string;
}

/** The tables of a case's projection besides `cases` itself. */
export type ProjectionPart = 'promises' | 'deadlines' | 'members';

export interface ProjectionUpsert {
  view: CaseView;
  /** Every pending step, not only the next per series, so the inbox can show what comes. */
  deadlines: DeadlineRow[];
  /**
   * Parts equal to those the workflow recorded with the event before: `recordEvent` leaves their rows as
   * they are (fewer statements per event), unless its audit entry superseded an orphan.
   */
  unchanged?: ProjectionPart[];
}

/** One accepted event: its audit entry and the case's projection after it, written together. */
export interface EventRecord {
  entry: AuditAppend;
  projection: ProjectionUpsert;
}

export interface NotificationRequest {
  caseId: string;
  seq: number;
  /** `reminder.sent` or `escalation.raised`. */
  event: string;
  recipients: string[];
  /** The event payload without names or free text: promiseId, meetingAt, deadline, level. */
  details: Record<string, unknown>;
}

export interface DocumentRequest {
  caseId: string;
  seq: number;
  document: 'memo' | 'planLetter';
  recipients: string[];
  /** The case view after the event: the renderer takes names, plan and promises from it. */
  view: CaseView;
}

export interface CaseActivities {
  /** The hot path of every event since the `lean-event-path` workflow patch: audit entry and projection at once. */
  recordEvent(input: EventRecord): Promise<{ hash: string }>;
  /** The two steps `recordEvent` replaced, kept for workflow histories recorded before the patch. */
  appendAudit(entry: AuditAppend): Promise<{ hash: string }>;
  upsertProjection(input: ProjectionUpsert): Promise<void>;
  queueNotifications(input: NotificationRequest): Promise<{ queued: number }>;
  renderDocument(input: DocumentRequest): Promise<{ queued: number }>;
}
