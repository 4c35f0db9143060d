/**
 * ISO-8601 strings of epoch milliseconds, as the catalog stores times.
 *
 * @module
 */

/**
 * A `new Date(ms).toISOString()` that remembers its last two distinct inputs. Hot paths ask
 * for the same millisecond several times (a message's timestamp and its rows, a claim's `now`
 * and its lease end, an outcome's time), so each string is formatted once. Make one per
 * service: the memo is the formatter's own.
 */
export function createIsoFormatter(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  let prevMs = Number.NaN;
  let prevIso = '';
  return (ms) => {
    if (ms === lastMs) return lastIso;
    if (ms === prevMs) return prevIso;
    const iso = new Date(ms).toISOString();
    prevMs = lastMs;
    prevIso = lastIso;
    lastMs = ms;
    lastIso = iso;
    return iso;
  };
}
