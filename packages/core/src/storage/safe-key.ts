import { isAbsolute, resolve, sep } from 'node:path';
import { ErrorCode, FileForgeError } from '../errors/index.js';

const SEGMENT = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/**
 * Resolves a blob key to a path under `root`, refusing anything that is not a generated key
 * (segments of `[a-z0-9._-]`, no `..`) or that would resolve outside the root.
 */
export function resolveKey(root: string, key: string): string {
  const segments = key.split('/');
  if (
    segments.length === 0 ||
    segments.length > 8 ||
    !segments.every((s) => SEGMENT.test(s) && !s.includes('..'))
  ) {
    throw new FileForgeError(
      ErrorCode.NOT_FOUND,
      `[fileforge:storage] Invalid blob key ${JSON.stringify(key)}`,
    );
  }
  // Every segment starts with a letter or digit, holds no separator and no `..`: appended to the
  // resolved root it names a path strictly inside it, as `resolve(root, ...segments)` would,
  // without normalising the whole path again for every blob a run touches.
  const base = resolvedRoot(root);
  return base.endsWith(sep) ? base + segments.join(sep) : base + sep + segments.join(sep);
}

/** Roots resolved once each (a process has a handful of stores). */
const roots = new Map<string, string>();

function resolvedRoot(root: string): string {
  if (!isAbsolute(root)) return resolve(root); // follows the working directory
  let base = roots.get(root);
  if (base === undefined) {
    base = resolve(root);
    if (roots.size >= 64) roots.clear();
    roots.set(root, base);
  }
  return base;
}

/** Whether `key` is a blob key (what {@link resolveKey} accepts): for listings and sweeps. */
export function isKey(key: string): boolean {
  try {
    resolveKey('/', key);
    return true;
  } catch {
    return false;
  }
}
