import { ErrorCode, FileForgeError } from '@fileforge/core';

/**
 * Validates a numeric option at construction time, so a bad value fails when the processor
 * is created rather than on the first file.
 */
export function checkInteger(scope: string, name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:${scope}] Option "${name}" must be an integer of at least ${min}, got ${String(value)}`,
      { details: { option: name } },
    );
  }
  return value;
}
