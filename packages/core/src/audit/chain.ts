/**
 * The hash chain: each entry's hash is SHA-256 over a canonical encoding of the entry that
 * includes the previous entry's hash, so editing, deleting, inserting or reordering any entry
 * breaks every link from there on. The encoding is a JSON array in a fixed field order over
 * the stored column values (the details as their stored JSON text), so it never depends on
 * key order or on how a driver returns numbers.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const FORMAT = 'fileforge-audit/1';

/** An entry as stored: one column per field, details as JSON text. */
export interface AuditRow {
  seq: number;
  at: string;
  tenant: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  request_id: string | null;
  client_address: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The hash a row must carry: SHA-256 (hex) over its canonical encoding (everything but `hash`). */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([
    FORMAT,
    Number(row.seq),
    row.at,
    row.tenant,
    row.actor_type,
    row.actor_id,
    row.action,
    row.target_type,
    row.target_id,
    row.target_name,
    row.request_id,
    row.client_address,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Where and how the chain breaks. */
export interface AuditChainBreak {
  /** The first entry whose link does not hold (for a missing entry: the missing seq). */
  seq: number;
  problem: 'missing' | 'hash_mismatch' | 'prev_hash_mismatch';
  /** One sentence for an operator: what differs. */
  message: string;
  expected: string;
  actual: string;
}

/** What {@link verifyAuditChain} found. */
export interface AuditVerification {
  ok: boolean;
  /** Entries read. */
  checked: number;
  /** The last entry's seq and hash (record them elsewhere to detect a cut-off tail later). */
  head: { seq: number; hash: string } | null;
  /** The first broken link, when `ok` is false. */
  broken?: AuditChainBreak;
}

/**
 * Walks rows in `seq` order and reports the first broken link: a gap in `seq` (an entry
 * deleted), a `prev_hash` that is not the previous entry's hash (deleted, inserted or
 * reordered), or a hash that does not match the entry's content (edited). Entries cut off the
 * end leave an intact shorter chain: compare `head` with one recorded earlier.
 */
export async function verifyAuditChain(
  rows: Iterable<AuditRow> | AsyncIterable<AuditRow>,
): Promise<AuditVerification> {
  let checked = 0;
  let previous: { seq: number; hash: string } | null = null;
  const fail = (broken: AuditChainBreak): AuditVerification => ({
    ok: false,
    checked,
    head: previous,
    broken,
  });
  for await (const row of rows) {
    const seq = Number(row.seq);
    const expectedSeq: number = (previous?.seq ?? 0) + 1;
    if (seq !== expectedSeq) {
      return fail({
        seq: expectedSeq,
        problem: 'missing',
        message: `entry ${expectedSeq} is missing: the entry after ${previous ? `entry ${previous.seq}` : 'the start'} is ${seq}`,
        expected: String(expectedSeq),
        actual: String(seq),
      });
    }
    const expectedPrev: string = previous?.hash ?? GENESIS_HASH;
    if (row.prev_hash !== expectedPrev) {
      return fail({
        seq,
        problem: 'prev_hash_mismatch',
        message: `entry ${seq} does not link to ${previous ? `entry ${previous.seq}` : 'the start'}: its prev_hash differs from that entry's hash`,
        expected: expectedPrev,
        actual: row.prev_hash,
      });
    }
    const computed = hashAuditRow(row);
    if (row.hash !== computed) {
      return fail({
        seq,
        problem: 'hash_mismatch',
        message: `entry ${seq} was changed after it was written: its content does not match its stored hash`,
        expected: computed,
        actual: row.hash,
      });
    }
    checked++;
    previous = { seq, hash: row.hash };
  }
  return { ok: true, checked, head: previous };
}
