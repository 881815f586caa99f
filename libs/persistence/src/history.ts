import type { ChainEntry } from './audit-chain';
import type { AuditEntryRow } from './entities';

/** A stored audit row as `GET /cases/:id/history` serves it (and as the hash chain covers it). */
export function historyItemOf(row: AuditEntryRow): ChainEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: { sub: row.actorSub, role: row.actorRole },
    type: row.type,
    payload: row.payload,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
