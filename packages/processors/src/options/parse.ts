import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { z } from 'zod';

/** The option an issue is about, as `a.b[0]`-style text. */
function optionOf(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return path ? `${path}.${key}` : key;
  }
  return path || '(options)';
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'is not a known option';
  return `is invalid: ${issue.message}`;
}

/**
 * Validates per-call options with a zod schema and returns them with defaults applied, or
 * throws `VALIDATION_FAILED` (another `code` when given) naming the first bad option:
 * `[fileforge:<scope>] Option "size" is invalid: Too small: expected number to be >=1`, with
 * `details.option` and every issue in `details.issues`.
 */
export function parseOptions<S extends z.ZodType>(
  scope: string,
  schema: S,
  value: unknown,
  code: ErrorCode = ErrorCode.VALIDATION_FAILED,
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  const option = first ? optionOf(first) : '(options)';
  throw new FileForgeError(
    code,
    `[fileforge:${scope}] Option "${option}" ${first ? describe(first) : 'is invalid'}`,
    {
      details: {
        option,
        issues: issues.slice(0, 10).map((issue) => ({ option: optionOf(issue), message: issue.message })),
      },
    },
  );
}
