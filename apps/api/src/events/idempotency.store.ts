import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import canonicalize from 'canonicalize';
import type { DataSource } from 'typeorm';
import { IdempotencyKeyRow, inTransaction, rawQuery } from '../../../../libs/persistence/src';
import { ApiError } from '../errors/api-error';

/** An answer as it goes on the wire; stored as is, so a replay is the same bytes. */
export interface Answer {
  status: number;
  body: string;
}

/** A reserved key whose command is still in flight (or was cut off); no answer yet. */
const PENDING = 0;

/** SHA-256 over the RFC 8785 canonical JSON of the body: key order and spacing do not make another body. */
export const requestHashOf = (body: unknown) =>
  createHash('sha256')
    .update(canonicalize(body ?? null) ?? 'null')
    .digest('hex');

const RESERVE = `INSERT INTO idempotency_keys (case_id, key, request_hash, response_status, response_body, created_at)
VALUES (:caseId, :key, :hash, ${PENDING}, '', :now)
ON CONFLICT (case_id, key) DO NOTHING
RETURNING case_id`;

/** An upsert, so that an answer is kept even if a failed racer released the reservation meanwhile. */
const STORE = `INSERT INTO idempotency_keys (case_id, key, request_hash, response_status, response_body, created_at)
VALUES (:caseId, :key, :hash, :status, :body, :now)
ON CONFLICT (case_id, key) DO UPDATE SET response_status = excluded.response_status, response_body = excluded.response_body
WHERE idempotency_keys.request_hash = excluded.request_hash`;

/**
 * `Idempotency-Key` (contract.md): the first answer to a key is kept and given again for the same body;
 * another body is a 422. A key is reserved before the command is sent, so two requests racing with one
 * key cannot both append: they share one Temporal update id and so one outcome.
 */
@Injectable()
export class IdempotencyStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async once(
    caseId: string,
    key: string,
    body: unknown,
    send: (updateId: string) => Promise<Answer>,
  ): Promise<Answer & { replayed: boolean }> {
    const hash = requestHashOf(body);
    for (;;) {
      const existing = await this.db.getRepository(IdempotencyKeyRow).findOneBy({ caseId, key });
      if (existing) {
        if (existing.requestHash !== hash) {
          throw new ApiError(
            'idempotency_key_reused',
            'This Idempotency-Key was used with another body; use a new key for a new command.',
          );
        }
        if (existing.responseStatus !== PENDING)
          return { status: existing.responseStatus, body: existing.responseBody, replayed: true };
        break; // in flight elsewhere (or cut off): join it through the same update id
      }
      const reserved = await inTransaction(this.db, (m) =>
        rawQuery(m, RESERVE, { caseId, key, hash, now: new Date().toISOString() }),
      );
      if (reserved.length > 0) break;
    }

    let answer: Answer;
    try {
      answer = await send(
        `idem-${createHash('sha256').update(`${caseId}\u0000${key}\u0000${hash}`).digest('hex')}`,
      );
    } catch (error) {
      // Nothing was accepted (or nothing is known): the key stays free for a retry.
      await inTransaction(this.db, (m) =>
        m.delete(IdempotencyKeyRow, { caseId, key, requestHash: hash, responseStatus: PENDING }),
      ).catch(() => undefined);
      throw error;
    }
    const stored = {
      caseId,
      key,
      hash,
      status: answer.status,
      body: answer.body,
      now: new Date().toISOString(),
    };
    await inTransaction(this.db, (m) => rawQuery(m, STORE, stored));
    return { ...answer, replayed: false };
  }
}
