/** What {@link partialRatio} found. */
export interface PartialRatio {
  /** Similarity 0–100 of the needle to the best-matching stretch of the haystack. */
  score: number;
  /** The best-matching stretch. */
  found: string;
}

/**
 * Best partial similarity of the shorter string to any stretch of the longer one, 0–100,
 * in the spirit of rapidfuzz's `partial_ratio`: the shorter string (the needle) is aligned
 * against every substring of the longer with Sellers' approximate-substring algorithm (a
 * Levenshtein table whose first row is free, with InDel costs as rapidfuzz's `ratio`: a
 * substitution counts as a deletion plus an insertion), and the score is
 * `100 × (1 − d / (|needle| + |stretch|))` for the smallest distance `d`. One pass,
 * O(|needle| × |haystack|) time and O(|needle|) memory, so long documents stay cheap.
 * Substitutions and transpositions score as in rapidfuzz; a stretch shorter than the needle
 * scores a little higher than rapidfuzz's fixed-length windows would give it.
 *
 * @example partialRatio('bc hydro', 'your bill from bc hidro is due').score // 87.5
 */
export function partialRatio(a: string, b: string): PartialRatio {
  const [needle, haystack] =
    a.length <= b.length ? [Array.from(a), Array.from(b)] : [Array.from(b), Array.from(a)];
  const m = needle.length;
  if (m === 0) return { score: haystack.length === 0 ? 100 : 0, found: '' };
  // prev[i] / cur[i]: distance of needle[0..i) to the best substring ending at haystack[j];
  // start[i]: where that substring begins, to report what matched.
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  let prevStart = new Int32Array(m + 1);
  let curStart = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) prev[i] = i;
  let best = -1;
  let bestStart = 0;
  let bestEnd = 0;
  for (let j = 1; j <= haystack.length; j++) {
    cur[0] = 0;
    curStart[0] = j;
    const ch = haystack[j - 1];
    for (let i = 1; i <= m; i++) {
      // InDel distance (rapidfuzz's `ratio`): a substitution costs a deletion plus an insertion.
      const sub = needle[i - 1] === ch ? prev[i - 1]! : Number.MAX_SAFE_INTEGER;
      const del = prev[i]! + 1;
      const ins = cur[i - 1]! + 1;
      if (sub <= del && sub <= ins) {
        cur[i] = sub;
        curStart[i] = i === 1 ? j - 1 : prevStart[i - 1]!;
      } else if (del <= ins) {
        cur[i] = del;
        curStart[i] = prevStart[i]!;
      } else {
        cur[i] = ins;
        curStart[i] = curStart[i - 1]!;
      }
    }
    // Ties in distance go to the longer stretch: its ratio is higher.
    const ratio = 1 - cur[m]! / (m + j - curStart[m]!);
    if (ratio > best) {
      best = ratio;
      bestStart = curStart[m]!;
      bestEnd = j;
      if (cur[m] === 0) break;
    }
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
  }
  if (best <= 0) return { score: 0, found: '' };
  return { score: Math.round(10_000 * best) / 100, found: haystack.slice(bestStart, bestEnd).join('') };
}
