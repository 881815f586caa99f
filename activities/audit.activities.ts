import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditEntryRow,
  GENESIS_HASH,
  auditHash,
  inTransaction,
  insertRows,
  rawQuery,
} from '../libs/persistence/src';
import type { AuditAppend } from './contracts';
import { ActivityFailure, nonRetryable, parseInput } from './errors';
import { auditAppendInput } from './inputs';

const logger = new Logger('AuditLog');

/**
 * Stores entry `seq` chained to entry `seq - 1`, inside the caller's transaction. The same entry again
 * (a retry) returns the stored hash and writes nothing.
 *
 * Other content under a stored seq is either an orphan or a bug. An orphan is left by a workflow task that
 * wrote its entry and then never completed (the worker died before Temporal recorded the task): the retried
 * task applies the event again at its own, later time. So a later entry supersedes the stored one and any
 * entry after it, none of which Temporal's history holds. The same or an earlier time is a conflict (a late
 * write of the dead task, or a bug) and fails without retry, as does a missing predecessor or an entry
 * earlier than its predecessor.
 */
export async function appendAuditEntry(manager: EntityManager, entry: AuditAppend): Promise<Appended> {
  const input = parseInput(auditAppendInput, entry, 'appendAudit');
  // The hash covers exactly what is stored and served back: the payload after a JSON round trip.
  const payload: unknown = JSON.parse(JSON.stringify(input.payload ?? null));
  const { caseId, seq, at, actor, type } = input;
  const find = async (n: number) =>
    (await rawQuery<Stored>(manager, FIND_ENTRY, { caseId, seq: n }))[0] as Stored | undefined;

  let prevHash = GENESIS_HASH;
  if (seq > 1) {
    const previous = await find(seq - 1);
    if (!previous) {
      throw nonRetryable(
        ActivityFailure.auditGap,
        `audit entry ${seq} of case ${caseId} has no predecessor ${seq - 1}`,
        {
          caseId,
          seq,
        },
      );
    }
    if (at < previous.at) {
      throw nonRetryable(
        ActivityFailure.auditConflict,
        `audit entry ${seq} of case ${caseId} is earlier than entry ${seq - 1}`,
        {
          caseId,
          seq,
        },
      );
    }
    prevHash = previous.hash;
  }
  const hash = auditHash(prevHash, { seq, at, actor, type, payload, prevHash });
  const row: AuditEntryRow = {
    caseId,
    seq,
    at,
    actorSub: actor.sub,
    actorRole: actor.role,
    type,
    payload,
    prevHash,
    hash,
  };

  // Insert-or-ignore, then compare: a concurrent or earlier attempt with the same content is a no-op.
  const insert = () => insertRows(manager, AuditEntryRow, [row], { orIgnore: true, returning: ['hash'] });
  if ((await insert()).length > 0) return { hash, outcome: 'appended' };
  const stored = (await find(seq))!;
  if (stored.hash === hash) return { hash, outcome: 'stored' };

  if (at > stored.at) {
    await rawQuery(manager, 'DELETE FROM audit_entries WHERE case_id = :caseId AND seq >= :seq', {
      caseId,
      seq,
    });
    await insert();
    logger.warn(
      `audit entry ${seq} of case ${caseId} (${stored.type} at ${stored.at}) superseded by ${type} at ${at}, ` +
        'with any entries after it: they were written by a workflow task that never completed',
    );
    return { hash, outcome: 'superseded' };
  }
  throw nonRetryable(
    ActivityFailure.auditConflict,
    `audit entry ${seq} of case ${caseId} is already stored with other content (${stored.type}, now ${type})`,
    { caseId, seq, storedType: stored.type, type },
  );
}

/** The entry's hash, and whether it was new, already stored (a retry) or superseded an orphan. */
export interface Appended {
  hash: string;
  outcome: 'appended' | 'stored' | 'superseded';
}

interface Stored {
  hash: string;
  at: string;
  type: string;
}
const FIND_ENTRY = 'SELECT hash, at, type FROM audit_entries WHERE case_id = :caseId AND seq = :seq';

/** Appends accepted events to a case's hash-chained audit log. */
@Injectable()
export class AuditActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One entry in a transaction of its own (histories recorded before `recordEvent`); see `appendAuditEntry`. */
  async appendAudit(entry: AuditAppend): Promise<{ hash: string }> {
    const { hash } = await inTransaction(this.dataSource, (manager) => appendAuditEntry(manager, entry));
    return { hash };
  }
}
