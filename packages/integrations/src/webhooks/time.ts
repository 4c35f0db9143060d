/**
 * ISO-8601 strings of epoch milliseconds, as the catalog stores times. The hot path asks for
 * the same millisecond several times (a message's timestamp and its rows, a claim's `now`, an
 * outcome's `sent_at`): the last two strings made are kept, so each is formatted once.
 *
 * @module
 */

let lastMs = Number.NaN;
let lastIso = '';
let prevMs = Number.NaN;
let prevIso = '';

/** `new Date(ms).toISOString()`, remembered for the last two distinct `ms`. */
export function isoAt(ms: number): string {
  if (ms === lastMs) return lastIso;
  if (ms === prevMs) return prevIso;
  const iso = new Date(ms).toISOString();
  prevMs = lastMs;
  prevIso = lastIso;
  lastMs = ms;
  lastIso = iso;
  return iso;
}
