import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEntryRow, GENESIS_HASH, auditHash, inTransaction } from '../libs/persistence/src';
import type { AuditAppend } from './contracts';
import { ActivityFailure, nonRetryable, parseInput } from './errors';
import { auditAppendInput } from './inputs';

/** Appends accepted events to a case's hash-chained audit log. */
@Injectable()
export class AuditActivities {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores entry `seq` chained to entry `seq - 1`. The same entry again (a retry) returns the stored hash
   * and writes nothing; other content under a stored seq, or a missing predecessor, fails without retry.
   */
  async appendAudit(entry: AuditAppend): Promise<{ hash: string }> {
    const input = parseInput(auditAppendInput, entry, 'appendAudit');
    // The hash covers exactly what is stored and served back: the payload after a JSON round trip.
    const payload: unknown = JSON.parse(JSON.stringify(input.payload ?? null));
    const { caseId, seq, at, actor, type } = input;

    return inTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(AuditEntryRow);
      let prevHash = GENESIS_HASH;
      if (seq > 1) {
        const previous = await repo.findOne({ where: { caseId, seq: seq - 1 }, select: { hash: true } });
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
      await manager
        .createQueryBuilder()
        .insert()
        .into(AuditEntryRow)
        .values(row as never) // `payload: unknown` does not fit QueryDeepPartialEntity
        .orIgnore()
        .updateEntity(false)
        .execute();
      const stored = await repo.findOneOrFail({ where: { caseId, seq }, select: { hash: true, type: true } });
      if (stored.hash !== hash) {
        throw nonRetryable(
          ActivityFailure.auditConflict,
          `audit entry ${seq} of case ${caseId} is already stored with other content (${stored.type}, now ${type})`,
          { caseId, seq, storedType: stored.type, type },
        );
      }
      return { hash };
    });
  }
}
