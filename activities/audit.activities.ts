import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { AuditEntryRow, GENESIS_HASH, auditHash, inTransaction } from '../libs/persistence/src';
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
export async function appendAuditEntry(
  manager: EntityManager,
  entry: AuditAppend,
): Promise<{ hash: string }> {
  const input = parseInput(auditAppendInput, entry, 'appendAudit');
  // The hash covers exactly what is stored and served back: the payload after a JSON round trip.
  const payload: unknown = JSON.parse(JSON.stringify(input.payload ?? null));
  const { caseId, seq, at, actor, type } = input;
  const repo = manager.getRepository(AuditEntryRow);

  let prevHash = GENESIS_HASH;
  if (seq > 1) {
    const previous = await repo.findOne({
      where: { caseId, seq: seq - 1 },
      select: { hash: true, at: true },
    });
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
        { caseId, seq },
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

  const insert = () =>
    manager
      .createQueryBuilder()
      .insert()
      .into(AuditEntryRow)
      .values(row as never) // `payload: unknown` does not fit QueryDeepPartialEntity
      .orIgnore()
      .updateEntity(false)
      .execute();
  // Insert-or-ignore, then compare: a concurrent or earlier attempt with the same content is a no-op.
  await insert();
  const stored = await repo.findOneOrFail({
    where: { caseId, seq },
    select: { hash: true, type: true, at: true },
  });
  if (stored.hash === hash) return { hash };

  if (at > stored.at) {
    const orphans = await repo.delete({ caseId, seq: MoreThanOrEqual(seq) });
    await insert();
    logger.warn(
      `audit entry ${seq} of case ${caseId} (${stored.type} at ${stored.at}) superseded by ${type} at ${at}: ` +
        `${orphans.affected ?? 'some'} entries of a workflow task that never completed removed`,
    );
    return { hash };
  }
  throw nonRetryable(
    ActivityFailure.auditConflict,
    `audit entry ${seq} of case ${caseId} is already stored with other content (${stored.type}, now ${type})`,
    { caseId, seq, storedType: stored.type, type },
  );
}

/** Appends accepted events to a case's hash-chained audit log. */
@Injectable()
export class AuditActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One entry in a transaction of its own (histories recorded before `recordEvent`); see `appendAuditEntry`. */
  appendAudit(entry: AuditAppend): Promise<{ hash: string }> {
    return inTransaction(this.dataSource, (manager) => appendAuditEntry(manager, entry));
  }
}
