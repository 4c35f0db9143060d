/** A resolved, inclusive byte range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header against a resource of `size` bytes. Returns `undefined` when the
 * header should be ignored (absent, not `bytes`, several ranges, or a last position before
 * the first — serving the whole representation is allowed or required then), `'unsatisfiable'` for a range that lies outside the
 * resource, or the single range to serve.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim());
  if (!match) return undefined;
  const [, first, last] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  // A last position before the first makes the header invalid, and an invalid Range is
  // ignored (RFC 9110 §14.1.1): the whole representation is served with 200, not 416.
  if (last !== '' && Number(last) < start) return undefined;
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** True when an `If-None-Match` header matches `etag` (weak comparison, `*` included). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
