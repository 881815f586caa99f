import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** `prevHash` of entry 1 (contract.md "Audit endpoints"). */
export const GENESIS_HASH = '0'.repeat(64);

/** One history item as `GET /cases/:id/history` serves it, before its hash is known. */
export interface UnhashedEntry {
  seq: number;
  at: string;
  actor: { sub: string; role: string };
  type: string;
  payload: unknown;
  prevHash: string;
}

export interface ChainEntry extends UnhashedEntry {
  hash: string;
}

export interface ChainReport {
  ok: boolean;
  /** How many entries were checked. */
  entries: number;
  /** The lowest seq from which the chain cannot be trusted (an edited entry, or the first missing seq); null when ok. */
  firstBrokenSeq: number | null;
}

/** The RFC 8785 (JCS) text of an entry without `hash`; extra fields of the argument (caseId, hash) are left out. */
export function canonicalEntry(entry: UnhashedEntry): string {
  const { seq, at, actor, type, payload, prevHash } = entry;
  const text = canonicalize({
    seq,
    at,
    actor: { sub: actor.sub, role: actor.role },
    type,
    payload,
    prevHash,
  });
  if (text === undefined) throw new TypeError('audit entry is not JSON');
  return text;
}

/**
 * Lowercase hex SHA-256 over the UTF-8 of `prevHash` followed by the canonical JSON of the entry without
 * its hash. Anyone holding the history can recompute it without Neuvo.
 */
export function auditHash(prevHash: string, entry: UnhashedEntry): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalEntry(entry), 'utf8').digest('hex');
}

/**
 * Checks a case's history, given in seq order from 1: every entry must follow its predecessor (seq + 1,
 * `prevHash` = the predecessor's hash) and carry the hash of its own content. Truncation of the newest
 * entries cannot be seen from the chain alone; compare the last seq with the projection or the workflow.
 */
export function verifyChain(entries: readonly ChainEntry[]): ChainReport {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const expectedSeq = i + 1;
    if (entry.seq !== expectedSeq) {
      // A gap (or a duplicate): the chain is broken from the first seq that is not where it should be.
      return { ok: false, entries: entries.length, firstBrokenSeq: Math.min(expectedSeq, entry.seq) };
    }
    if (entry.prevHash !== prevHash || auditHash(prevHash, entry) !== entry.hash) {
      return { ok: false, entries: entries.length, firstBrokenSeq: entry.seq };
    }
    prevHash = entry.hash;
  }
  return { ok: true, entries: entries.length, firstBrokenSeq: null };
}
