/**
 * Ids of the webhook service: message ids (`msg_…`, derived from the bus event id so a
 * redelivered event maps to the same message) and time-ordered row ids that never go
 * backwards within a process (the delivery history pages by id).
 *
 * @module
 */
import { createHash, randomFillSync } from 'node:crypto';

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
  // Nearly always only the last character moves.
  const lastAt = ALPHABET.indexOf(id[id.length - 1]!);
  if (lastAt < ALPHABET.length - 1) return id.slice(0, -1) + ALPHABET[lastAt + 1];
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

/** The alphabet's character codes, to build an id's random part in one buffer. */
const CODES = Buffer.from(ALPHABET, 'latin1');
const scratch = Buffer.alloc(16);

/** The 10-character time part of core's layout (48-bit milliseconds, most significant first). */
function timePart(ms: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/**
 * A generator of time-ordered ids (core's `createId` layout: 10 characters of milliseconds,
 * 16 random, Crockford base32) that increase strictly, even within one millisecond. The time
 * part is formatted once per millisecond and the random part decoded in one call: ids are
 * made several times per delivery.
 */
export function createIdSource(now: () => number): () => string {
  let last = '';
  let prefixMs = Number.NaN;
  let prefix = '';
  return () => {
    const ms = now();
    if (ms !== prefixMs) {
      prefixMs = ms;
      prefix = timePart(ms);
    }
    const bytes = pooledRandom(16);
    for (let i = 0; i < 16; i++) scratch[i] = CODES[bytes[i]! & 31]!;
    const id = prefix + scratch.toString('latin1', 0, 16);
    last = id > last ? id : successor(last);
    return last;
  };
}
