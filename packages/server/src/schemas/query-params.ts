import { z } from '@hono/zod-openapi';

/**
 * A free-text query parameter (a filter such as `name` or `actor`). NUL (U+0000) is refused:
 * no stored text holds it, and PostgreSQL fails a query whose parameter does, which would
 * answer 500 for what is a bad request.
 */
export function queryText() {
  return z.string().refine((value) => !value.includes('\0'), 'must not contain NUL (U+0000)');
}

const ISO_DATE_START = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * Whether `value` is an ISO 8601 date or date-time (`2026-11-30`, `2026-11-30T12:00:00Z`) of a
 * real calendar day. `Date.parse` alone takes `2026-02-30` as 2 March and `banana 1` as 2001,
 * which would filter by a time nobody asked for.
 */
export function isIsoTime(value: string): boolean {
  const day = ISO_DATE_START.exec(value);
  if (!day || Number.isNaN(Date.parse(value))) return false;
  const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const utc = new Date(Date.UTC(year, month - 1, date));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === date;
}
