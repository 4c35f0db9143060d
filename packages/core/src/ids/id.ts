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

/**
 * Generates a 26-character, time-ordered identifier (ULID layout: 48-bit millisecond time,
 * 80 random bits). Ids are generated, never derived from user input, and sort by creation
 * time, which keyset pagination relies on.
 */
export function createId(
  now: number = Date.now(),
  random: (n: number) => Uint8Array = pooledRandomBytes,
): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = random(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[(bytes[i] ?? 0) % 32];
  return time + rand;
}

/** Ids accepted from clients: generated ids only, so no path tricks can reach the store. */
export const ID_PATTERN = /^[0-9a-z]{26}$/;

/** True when `value` has the shape of a FileForge id. */
export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}
