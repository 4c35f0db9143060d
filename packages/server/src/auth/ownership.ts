import { ErrorCode, FileForgeError, type FileRecord } from '@fileforge/core';
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
 * Admins change anything in their tenant; editors only what they uploaded. A permitted read
 * of an object one may not change answers 403 to the change (the object's existence is
 * already visible to the caller, so 403 reveals nothing).
 */
export function assertCanChange(principal: Principal, record: FileRecord): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'editor' && record.ownerId === principal.userId) return;
  throw new FileForgeError(ErrorCode.FORBIDDEN, 'Only the owner or an admin may change this file');
}
