import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower-case

/** Source of the current time, injectable for tests. */
export type Clock = () => number;

/** Random bytes handed out from a pool filled 4 KiB at a time (one call into the CSPRNG per 256 ids, not per id). */
const pool = new Uint8Array(4096);
let poolAt = pool.length;
function pooledRandomBytes(n: number): Uint8Array {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += n;
  return pool.subarray(poolAt - n, poolAt);
}

/** The 10-character time part of an id: 48-bit milliseconds, most significant first. */
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
 * Generates a 26-character, time-ordered identifier (ULID layout: 48-bit millisecond time,
 * 80 random bits). Ids are generated, never derived from user input, and sort by creation
 * time, which keyset pagination relies on.
 */
export function createId(
  now: number = Date.now(),
  random: (n: number) => Uint8Array = pooledRandomBytes,
): string {
  const bytes = random(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[(bytes[i] ?? 0) % 32];
  return timePart(now) + rand;
}

/** The next id after `id` in the alphabet's order (same length). */
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

/**
 * A generator of {@link createId}-layout ids for hot paths that make several ids a
 * millisecond: they increase strictly, even within one millisecond (an id equal to or below
 * the last becomes the last's successor), the time part is formatted once per millisecond
 * and the random part decoded in one call.
 *
 * @param now - the clock read for each id (epoch milliseconds)
 */
export function createIdSource(now: Clock = Date.now): () => string {
  const scratch = Buffer.alloc(16);
  let last = '';
  let prefixMs = Number.NaN;
  let prefix = '';
  return () => {
    const ms = now();
    if (ms !== prefixMs) {
      prefixMs = ms;
      prefix = timePart(ms);
    }
    const bytes = pooledRandomBytes(16);
    for (let i = 0; i < 16; i++) scratch[i] = CODES[bytes[i]! & 31]!;
    const id = prefix + scratch.toString('latin1', 0, 16);
    last = id > last ? id : successor(last);
    return last;
  };
}

/** Ids accepted from clients: generated ids only, so no path tricks can reach the store. */
export const ID_PATTERN = /^[0-9a-z]{26}$/;

/** True when `value` has the shape of a FileForge id. */
export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}
