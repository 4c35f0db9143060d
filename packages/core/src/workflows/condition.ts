/**
 * Trigger filters: small conditions over the event that would start a run
 * (`{ field: category, op: eq, value: contracts }`), combined with `all` / `any` / `not`.
 * Deliberately simpler than the sorter's rule conditions: no text algorithms, only
 * comparisons of one field of the event's subject.
 *
 * @module
 */
import { z } from 'zod';
import { runGlob } from '../sorter/glob-run.js';

/** The comparisons a filter condition can make. */
export const FILTER_OPS = ['eq', 'ne', 'in', 'glob', 'gt', 'lt'] as const;

/** One comparison, or a combination of conditions. */
export type FilterCondition =
  | { field: string; op: (typeof FILTER_OPS)[number]; value: unknown }
  | { all: FilterCondition[] }
  | { any: FilterCondition[] }
  | { not: FilterCondition };

const FIELD = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

/** Schema of {@link FilterCondition}. */
export const filterConditionSchema: z.ZodType<FilterCondition> = z.lazy(() =>
  z.union([
    z
      .object({
        field: z.string().regex(FIELD, 'a field path such as "category" or "metadata.pages"'),
        op: z.enum(FILTER_OPS).default('eq'),
        value: z.unknown(),
      })
      .strict()
      .superRefine((c, ctx) => {
        if (c.op === 'in' && !Array.isArray(c.value))
          ctx.addIssue({ code: 'custom', path: ['value'], message: '"in" needs a list of values' });
        if (c.op === 'glob' && typeof c.value !== 'string')
          ctx.addIssue({ code: 'custom', path: ['value'], message: '"glob" needs a pattern string' });
      }),
    z.object({ all: z.array(filterConditionSchema) }).strict(),
    z.object({ any: z.array(filterConditionSchema) }).strict(),
    z.object({ not: filterConditionSchema }).strict(),
  ]),
) as z.ZodType<FilterCondition>;

/** A trigger's `filter`: one condition, or a list that must all hold. */
export const filterSchema = z.union([filterConditionSchema, z.array(filterConditionSchema)]);

/** Reads a dotted path (`metadata.pdf.pages`) out of a subject; `undefined` when absent. */
export function readPath(subject: unknown, path: string): unknown {
  let current = subject;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const comparable = (v: unknown): number | string | undefined =>
  typeof v === 'number' || typeof v === 'string' ? v : undefined;

function compare(actual: unknown, op: (typeof FILTER_OPS)[number], expected: unknown): boolean {
  switch (op) {
    case 'eq':
      return actual === expected || (actual != null && String(actual) === String(expected));
    case 'ne':
      return !compare(actual, 'eq', expected);
    case 'in':
      return Array.isArray(expected) && expected.some((e) => compare(actual, 'eq', e));
    case 'glob':
      // Time-limited like the sorter's globs: a pattern with many stars never hangs a trigger.
      return typeof actual === 'string' && runGlob(String(expected), actual).matched;
    case 'gt':
    case 'lt': {
      const a = comparable(actual);
      const b = comparable(expected);
      if (a === undefined || b === undefined) return false;
      // Numbers compare as numbers; ISO dates and other strings in string order.
      const [x, y] = typeof a === 'number' || typeof b === 'number' ? [Number(a), Number(b)] : [a, b];
      return op === 'gt' ? x > y : x < y;
    }
  }
}

/** Whether `filter` (a condition or a list of them, all required) holds for `subject`. */
export function matchesFilter(
  filter: FilterCondition | FilterCondition[] | undefined,
  subject: unknown,
): boolean {
  if (filter === undefined) return true;
  if (Array.isArray(filter)) return filter.every((c) => matchesFilter(c, subject));
  if ('all' in filter) return filter.all.every((c) => matchesFilter(c, subject));
  if ('any' in filter) return filter.any.some((c) => matchesFilter(c, subject));
  if ('not' in filter) return !matchesFilter(filter.not, subject);
  return compare(readPath(subject, filter.field), filter.op, filter.value);
}
