import { isAbsolute, relative, resolve, sep } from 'node:path';
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
  const path = resolve(root, ...segments);
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new FileForgeError(
      ErrorCode.NOT_FOUND,
      `[fileforge:storage] Blob key escapes the store: ${JSON.stringify(key)}`,
    );
  }
  return path;
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
