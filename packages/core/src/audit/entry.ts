/**
 * What an audit entry is: who (actor) did what (action) to what (target), when, from where,
 * with which request, plus details as JSON data. Actions have stable names, listed here, so
 * filters and alerting rules can rely on them.
 *
 * @module
 */

/** Every action FileForge records, by stable name (`area.verb`). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'file.upload',
  'file.upload_rejected',
  'file.download',
  'file.integrity_failed',
  'file.delete',
  'sorter.rule_put',
  'sorter.rule_delete',
  'workflow.put',
  'workflow.delete',
  'integration.connect',
  'integration.disconnect',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.rotate',
  'key.create',
  'key.revoke',
  'user.create',
  'user.update',
  'user.delete',
  'user.password',
  'encryption.key_rotate',
  'backup.create',
  'backup.download',
  'backup.restore',
  'tenant.quota',
] as const;

/** A stable action name; see {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Who acted: a user, an API key, the local operator running a `fileforge` command (`cli`),
 * FileForge itself, or someone not (yet) authenticated.
 */
export interface AuditActor {
  type: 'user' | 'api_key' | 'cli' | 'system' | 'anonymous';
  /** User id or API key id; for `cli`, the operating-system user who ran the command; null for `system` and `anonymous`. */
  id: string | null;
}

/** What was acted on. */
export interface AuditTarget {
  /** `file`, `user`, `api_key`, `rule`, `workflow`, `integration`, `webhook`, `key`… */
  type: string;
  id?: string | null;
  /** A display name (a filename, an email): stored as data, never parsed. */
  name?: string | null;
}

/** JSON details of an entry: plain data, never secrets. */
export type AuditDetails = Record<string, unknown>;

/** What a caller hands to {@link AuditTrail.record}. */
export interface AuditInput {
  /** The tenant the action belongs to; null for installation-wide actions (key rotation, a login naming no tenant). */
  tenant: string | null;
  actor: AuditActor;
  action: AuditAction;
  target?: AuditTarget | null;
  requestId?: string | null;
  clientAddress?: string | null;
  details?: AuditDetails;
}

/** A stored entry, as `list()` returns it and the chain covers it. */
export interface AuditEntry {
  /** 1, 2, 3… with no gaps: a gap is a deleted entry. */
  seq: number;
  /** ISO 8601 time of the append. */
  at: string;
  tenant: string | null;
  actor: AuditActor;
  action: string;
  target: { type: string | null; id: string | null; name: string | null };
  requestId: string | null;
  clientAddress: string | null;
  details: AuditDetails;
  /** SHA-256 (hex) of the previous entry; 64 zeros for the first. */
  prevHash: string;
  /** SHA-256 (hex) of this entry's canonical encoding, which includes `prevHash`. */
  hash: string;
}
