/**
 * Ids of the webhook service: message ids (`msg_…`, derived from the bus event id so a
 * redelivered event maps to the same message) and time-ordered row ids that never go
 * backwards within a process (the delivery history pages by id).
 *
 * @module
 */
import { createHash, randomFillSync } from 'node:crypto';
import { createId } from '@fileforge/core';

/** The message id of a bus event: the same for every redelivery of it. */
export function messageIdForEvent(tenant: string, eventId: string): string {
  const digest = createHash('sha256').update(`fileforge:webhooks:${tenant}:${eventId}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}

/**
 * Random bytes drawn from a pool refilled 4 KB at a time: one `randomFillSync` per 256 ids
 * instead of one `randomBytes` call (and buffer) per id.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function pooledRandom(n: number): Uint8Array {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return bytes;
}

/**
 * A fresh message id (an `emit()` without an event id): `msg_` + a time-ordered id (`ids`,
 * see {@link createIdSource}; 80 random bits). Time order makes the catalog's message-id
 * indexes append instead of touching a random page per message.
 */
export function randomMessageId(ids: () => string): string {
  return `msg_${ids()}`;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The next id after `id` in Crockford base32 order (same length). */
function successor(id: string): string {
  const chars = id.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const at = ALPHABET.indexOf(chars[i]!);
    if (at < ALPHABET.length - 1) {
      chars[i] = ALPHABET[at + 1]!;
      return chars.join('');
    }
    chars[i] = ALPHABET[0]!;
  }
  return chars.join('');
}

/** A generator of time-ordered ids (core's layout) that increase strictly, even within one millisecond. */
export function createIdSource(now: () => number): () => string {
  let last = '';
  return () => {
    const id = createId(now(), pooledRandom);
    last = id > last ? id : successor(last);
    return last;
  };
}
