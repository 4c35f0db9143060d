import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { z } from '@hono/zod-openapi';

/** One invalid field of a request: where (`rules.0.id`) and what is wrong. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The 400 `VALIDATION_FAILED` every route answers for an invalid request, listing `details.fields`. */
export function validationFailed(fields: FieldProblem[], message = 'The request is invalid'): FileForgeError {
  return new FileForgeError(ErrorCode.VALIDATION_FAILED, message, { details: { fields } });
}

/**
 * Validates a body a route reads itself (JSON or YAML definitions, whose OpenAPI schema is a
 * JSON Schema component rather than zod) and answers like the route validators do.
 */
export function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}

/**
 * Rewrites core's `VALIDATION_FAILED` (`details.issues`, from `parseRules` or the workflow
 * linter's schema check) into the server's shape (`details.fields`), keeping the message;
 * every other error passes through unchanged.
 */
export function asFieldProblems(error: unknown): unknown {
  if (!FileForgeError.is(error) || error.code !== ErrorCode.VALIDATION_FAILED) return error;
  const { issues, ...rest } = error.details ?? {};
  if (!Array.isArray(issues)) return error;
  return new FileForgeError(ErrorCode.VALIDATION_FAILED, error.message, {
    details: { ...rest, fields: issues },
    cause: error,
  });
}
