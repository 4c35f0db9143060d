/**
 * Recording audit entries from routes: one middleware puts the forge's audit trail and the
 * client-address resolver on the request, and each route that changes something (or hands
 * out a file) records it with one line, `await audit(c, 'file.delete', fileTarget(record))`.
 * The actor, tenant, request id and client address come from the request, so a route never
 * assembles them, and never passes a secret: details are names, ids and flags only (the
 * trail also redacts secret-named keys).
 *
 * Entries are appended right after the change they describe has committed. An append that
 * fails does not fail the request (the change is already done): it is logged as an error,
 * with the action and target, for the operator to act on.
 *
 * @module
 */
import type {
  AuditAction,
  AuditActor,
  AuditDetails,
  AuditTarget,
  AuditTrail,
  FileRecord,
} from '@fileforge/core';
import { FileForgeError } from '@fileforge/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { ClientAddressing } from '../http/client-address.js';
import type { ServerEnv } from '../server-env.js';

/** What the middleware puts on each request. */
export interface AuditContext {
  trail: AuditTrail;
  addressOf: ClientAddressing['addressOf'];
  logger: Logger;
}

/** Puts the audit trail on every request, for {@link audit}. */
export function auditContext(
  trail: AuditTrail,
  addressing: ClientAddressing,
  logger: Logger,
): MiddlewareHandler<ServerEnv> {
  const context: AuditContext = { trail, addressOf: addressing.addressOf, logger };
  return async (c, next) => {
    c.set('audit', context);
    await next();
  };
}

/** Who acted and in which tenant, when the request does not say (a login). */
export interface AuditAs {
  actor?: AuditActor;
  /** null: installation-wide (a login that names no tenant). */
  tenant?: string | null;
  /**
   * The client address, read while the connection was still there: an entry recorded after the
   * response was cut (its socket destroyed) could no longer read the peer.
   */
  clientAddress?: string | null;
}

/**
 * Records one entry for this request: the caller (user or API key) as actor, its tenant,
 * the request id and the client address. Never throws (see the module notes).
 */
export async function audit(
  c: Context<ServerEnv>,
  action: AuditAction,
  target?: AuditTarget | null,
  details?: AuditDetails,
  as: AuditAs = {},
): Promise<void> {
  const context = c.get('audit');
  if (!context) return;
  const principal = c.get('principal');
  const actor: AuditActor =
    as.actor ?? (principal ? { type: principal.kind, id: principal.id } : { type: 'anonymous', id: null });
  try {
    await context.trail.record({
      tenant: as.tenant !== undefined ? as.tenant : (principal?.tenant ?? null),
      actor,
      action,
      target: target ?? null,
      requestId: c.get('requestId') ?? null,
      clientAddress: as.clientAddress !== undefined ? as.clientAddress : (context.addressOf(c) ?? null),
      details: details ?? {},
    });
  } catch (err) {
    context.logger.error(
      { err, action, target: target ?? null, requestId: c.get('requestId') },
      'could not append to the audit trail',
    );
  }
}

/**
 * Records a refusal (`auth.login_failed`) with the error's code and reason, then rethrows it:
 * `await auth.login(…).catch(auditRefusal(c, 'auth.login_failed', target, as))`.
 */
export function auditRefusal(
  c: Context<ServerEnv>,
  action: AuditAction,
  target: AuditTarget | null,
  as: AuditAs = {},
): (error: unknown) => Promise<never> {
  return async (error) => {
    const code = FileForgeError.is(error) ? error.code : 'INTERNAL';
    const reason = FileForgeError.is(error)
      ? (error.details as { reason?: unknown } | undefined)?.reason
      : undefined;
    await audit(c, action, target, reason === undefined ? { code } : { code, reason }, as);
    throw error;
  };
}

/** The target of a file entry: its id and name (the name stays data, whatever it contains). */
export const fileTarget = (file: Pick<FileRecord, 'id' | 'name'>): AuditTarget => ({
  type: 'file',
  id: file.id,
  name: file.name,
});

/**
 * Records an upload request: `file.upload` for each stored file (its size and detected type),
 * then, when the request was refused, `file.upload_rejected` with the code and reason.
 */
export async function auditUploads(
  c: Context<ServerEnv>,
  files: readonly Pick<FileRecord, 'id' | 'name' | 'size' | 'mime'>[],
  refusal?: FileForgeError,
): Promise<void> {
  for (const file of files)
    await audit(c, 'file.upload', fileTarget(file), { size: file.size, mime: file.mime });
  if (refusal) {
    const reason = (refusal.details as { reason?: unknown } | undefined)?.reason;
    await audit(c, 'file.upload_rejected', null, {
      code: refusal.code,
      stored: files.length,
      ...(reason === undefined ? {} : { reason }),
    });
  }
}

/** The target of a user entry: id and email. */
export const userTarget = (user: { id?: string | null; email: string }): AuditTarget => ({
  type: 'user',
  id: user.id ?? null,
  name: user.email,
});

/** The target of a webhook entry: id and the subscription's name (never its URL, which may hold a token). */
export const webhookTarget = (hook: { id: string; name?: string }): AuditTarget => ({
  type: 'webhook',
  id: hook.id,
  name: hook.name ?? null,
});

/** Records a login as the user who logged in, in their tenant. */
export const auditLogin = (c: Context<ServerEnv>, user: { id: string; email: string; tenant: string }) =>
  audit(c, 'auth.login', userTarget(user), {}, { actor: { type: 'user', id: user.id }, tenant: user.tenant });

/**
 * `.catch()` handler of a login: records `auth.login_failed` (the email tried, the tenant named
 * or null, the refusal's code) and rethrows. The password is never passed here.
 */
export const auditLoginFailed = (c: Context<ServerEnv>, email: string, tenant: string | undefined) =>
  auditRefusal(c, 'auth.login_failed', userTarget({ email }), { tenant: tenant ?? null });
