/**
 * Keeps secrets and oversized text out of audit details. Callers pass no secrets in the first
 * place; this is the second line: a value under a key that names a secret is replaced, and
 * long strings are cut, so one entry never carries a credential or a megabyte of user text.
 *
 * @module
 */

const SECRET_KEY =
  /pass(word|phrase)?|secret|token|credential|authorization|cookie|private|^key$|^api_?key$/i;
const MAX_STRING = 1024;
const MAX_DEPTH = 6;

/** Replaces secret-named values with `"[redacted]"` and cuts strings over 1,024 characters. */
export function sanitizeDetails(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? String(value) : typeof value === 'function' ? undefined : value;
  }
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => sanitizeDetails(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : sanitizeDetails(v, depth + 1);
  }
  return out;
}
