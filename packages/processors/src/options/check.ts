/**
 * The option validator every processor and operation uses: plain checks for factory options
 * (`INVALID_CONFIG`, thrown when the processor is created, not on the first file) and, in
 * `parse.ts`, zod schemas for per-call operation options (`VALIDATION_FAILED`). Both produce
 * the same error: `[fileforge:<scope>] Option "<name>" must be …, got …` with
 * `details.option` naming the option.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';

const show = (value: unknown) => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** The error every failed option check throws. */
export function optionError(
  scope: string,
  option: string,
  expected: string,
  value: unknown,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): FileForgeError {
  return new FileForgeError(
    code,
    `[fileforge:${scope}] Option "${option}" must be ${expected}, got ${show(value).slice(0, 80)}`,
    { details: { option } },
  );
}

/** A safe integer in `[min, max]`. */
export function checkInteger(
  scope: string,
  option: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw optionError(scope, option, `an integer ${range}`, value, code);
  }
  return value;
}

/** A finite number greater than zero. */
export function checkPositive(
  scope: string,
  option: string,
  value: unknown,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw optionError(scope, option, 'a number greater than 0', value, code);
  }
  return value;
}

/** One of `allowed`. */
export function checkChoice<T extends string>(
  scope: string,
  option: string,
  value: unknown,
  allowed: readonly string[],
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): T {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw optionError(scope, option, `one of ${allowed.join(', ')}`, value, code);
  }
  return value as T;
}

/** A boolean. */
export function checkBoolean(
  scope: string,
  option: string,
  value: unknown,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): boolean {
  if (typeof value !== 'boolean') throw optionError(scope, option, 'a boolean', value, code);
  return value;
}

/** A non-empty path (or command name) without NUL bytes. */
export function checkPath(
  scope: string,
  option: string,
  value: unknown,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('\0')) {
    throw optionError(scope, option, 'a non-empty path', value, code);
  }
  return value;
}

/** An option that breaks a rule of its own (`videoCodec "h264" cannot be written to webm`). */
export function invalidOption(
  scope: string,
  option: string,
  message: string,
  code: ErrorCode = ErrorCode.VALIDATION_FAILED,
): FileForgeError {
  return new FileForgeError(code, `[fileforge:${scope}] ${message}`, { details: { option } });
}
