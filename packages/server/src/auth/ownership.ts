import { ErrorCode, FileForgeError, type FileRecord, mayChangeFile } from '@fileforge/core';
import type { Context } from 'hono';
import type { ServerEnv } from '../server-env.js';
import type { Principal } from './principal.js';

/** The caller of a route that requires a permission (the middleware guarantees one). */
export function principalOf(c: Context<ServerEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new FileForgeError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
  return principal;
}

/**
 * True when `principal` may change `record` (delete, reprocess). Admins — users, or keys
 * with the admin role, which never outrank their owner — change anything in their tenant.
 * An editor user changes what it uploaded, including through its own keys. An editor API key
 * is its own principal: it changes only what was uploaded through that key, so a key an
 * admin hands to a script cannot touch the admin's other files.
 */
export function canChange(principal: Principal, record: FileRecord): boolean {
  // The same rule decides which files a workflow's triggers may start runs on (core's `mayChangeFile`).
  return mayChangeFile(principal, record);
}

/**
 * Throws `FORBIDDEN` unless {@link canChange}. A permitted read of an object one may not
 * change answers 403 to the change (its existence is already visible to the caller, so 403
 * reveals nothing).
 */
export function assertCanChange(principal: Principal, record: FileRecord): void {
  if (canChange(principal, record)) return;
  throw new FileForgeError(
    ErrorCode.FORBIDDEN,
    principal.kind === 'api_key'
      ? 'An editor API key may change only files uploaded through it'
      : 'Only the owner or an admin may change this file',
  );
}
