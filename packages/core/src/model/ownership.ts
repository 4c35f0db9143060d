/**
 * Who may change a file (delete it, reprocess it, run a workflow on it): the one rule the
 * server's routes and the workflow engine's triggers share.
 *
 * @module
 */
import { ROLES, type Role } from './account.js';
import type { FileRecord } from './file-record.js';

/** An account acting on files: a user, or an API key, which is its own principal for ownership. */
export interface FileActor {
  kind: 'user' | 'api_key';
  /** User id, or API key id. */
  id: string;
  /** The user behind it (for an API key, the user who created it). */
  userId: string;
  /** The role it acts with now (a key's is never more than its creator's: {@link weakerRole}). */
  role: Role;
}

/** The weaker of two roles: what an API key acts with, given its own role and its creator's. */
export function weakerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) > ROLES.indexOf(b) ? a : b;
}

/**
 * True when `actor` may change `file`. Admins change anything in their tenant. An editor user
 * changes what it uploaded, including through its own keys. An editor API key changes only
 * what was uploaded through that key, so a key an admin hands to a script cannot touch the
 * admin's other files. Viewers change nothing.
 */
export function mayChangeFile(actor: FileActor, file: Pick<FileRecord, 'ownerId' | 'apiKeyId'>): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'editor') return false;
  return actor.kind === 'api_key' ? file.apiKeyId === actor.id : file.ownerId === actor.userId;
}
