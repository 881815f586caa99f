import type { DataSource } from 'typeorm';

export interface StoredEntry {
  seq: number;
  at: string;
  type: string;
  actorSub: string;
  payload: Record<string, unknown>;
}

/** The audit log of a case as stored (SQLite reader), oldest first. */
export async function auditOf(db: DataSource, caseId: string): Promise<StoredEntry[]> {
  const rows: { seq: number; at: string; type: string; actor_sub: string; payload: string }[] =
    await db.query(
      'SELECT seq, at, type, actor_sub, payload FROM audit_entries WHERE case_id = ? ORDER BY seq',
      [caseId],
    );
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    type: r.type,
    actorSub: r.actor_sub,
    payload: JSON.parse(r.payload),
  }));
}

export async function outboxOf(
  db: DataSource,
  caseId: string,
): Promise<{ seq: number; recipient: string; event: string }[]> {
  return db.query(
    'SELECT seq, recipient, event FROM notification_outbox WHERE case_id = ? ORDER BY seq, id',
    [caseId],
  );
}

export async function documentsOf(
  db: DataSource,
  caseId: string,
): Promise<{ seq: number; document: string; recipient: string; body: string }[]> {
  return db.query(
    'SELECT seq, document, recipient, body FROM document_outbox WHERE case_id = ? ORDER BY seq, id',
    [caseId],
  );
}

/** Polls until `check` passes (activities finish a moment after the clock moves), up to `ms`. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Timer entries about one subject, as `type level recipients`. */
export function ladderOf(entries: StoredEntry[], match: (p: Record<string, unknown>) => boolean): string[] {
  return entries
    .filter(
      (e) => ['reminder.sent', 'escalation.raised', 'deadline.reached'].includes(e.type) && match(e.payload),
    )
    .map((e) =>
      `${e.type} ${String(e.payload.level ?? e.payload.kind ?? '')} ${JSON.stringify(e.payload.recipients ?? [])}`.replace(
        '  ',
        ' ',
      ),
    );
}
