/**
 * Child side of `runChild()` (bench/lib/child.ts), in plain JavaScript: the measured
 * children run on bare `node`, with no TypeScript loader, so they cannot import the `.ts`
 * helpers the parent uses.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in bytes: `VmHWM` from `/proc/self/status` (the kernel's
 * high-water mark), or `resourceUsage().maxRSS` where `/proc` is missing.
 *
 * @returns {number}
 */
export function ownPeakRss() {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Sends the result to the parent and exits once it is delivered.
 *
 * @param {object} result
 * @returns {void}
 */
export function reportToParent(result) {
  const send = process.send?.bind(process);
  if (!send) throw new Error('[bench:child] Run this script through runChild(), not directly');
  send(result, () => process.exit(0));
}

/**
 * Times a child's work cold and warm, the same way on every side (see `lib/cold.ts`): `count`
 * operations on the new process (cold), `warmup - count` more untimed in batches of at most
 * `count`, then `count` timed (warm).
 *
 * @param {(n: number) => number | Promise<number>} batch does `n` operations, answers the ms
 * @param {number} count
 * @param {number} warmup
 * @returns {Promise<{ coldMs: number, ms: number }>}
 */
export async function timeColdAndWarm(batch, count, warmup) {
  const coldMs = await batch(count);
  for (let left = warmup - count; left > 0; left -= count) await batch(Math.min(count, left));
  const ms = await batch(count);
  return { coldMs, ms };
}
