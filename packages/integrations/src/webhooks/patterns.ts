/**
 * Event patterns of a subscription: an exact type (`file.processed`), a prefix wildcard
 * (`file.*`, any depth below) or `*` (everything).
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';

const PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Throws `VALIDATION_FAILED` unless every pattern is well formed (and there is at least one). */
export function checkEventPatterns(patterns: readonly string[]): string[] {
  if (patterns.length === 0 || patterns.length > 100) {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, '[fileforge:webhooks] Give 1-100 event patterns', {
      details: { field: 'events' },
    });
  }
  for (const p of patterns) {
    if (!PATTERN.test(p)) {
      throw new FileForgeError(
        ErrorCode.VALIDATION_FAILED,
        `[fileforge:webhooks] Event pattern "${p}" is not an event type, "prefix.*" or "*"`,
        { details: { field: 'events', pattern: p } },
      );
    }
  }
  return [...new Set(patterns)];
}

/** True when `type` is matched by one of `patterns`. */
export function matchesEvent(patterns: readonly string[], type: string): boolean {
  for (const p of patterns) {
    if (p === '*' || p === type) return true;
    if (p.endsWith('.*') && type.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}
