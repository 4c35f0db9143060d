/**
 * Audit entries for `fileforge` commands that change what the HTTP routes audit (users, keys):
 * whichever door a change comes through, it lands in the same trail, with the local operator
 * as actor (`{ type: 'cli', id: <OS user name> }`) instead of a user or API key.
 *
 * @module
 */
import { userInfo } from 'node:os';
import { type AuditActor, type AuditInput, type AuditTrail, openAuditTrail } from '@fileforge/core';

/** The operator running this command: the operating-system user (`uid:<n>` when it has no name). */
export function cliActor(): AuditActor {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers): userInfo() throws.
  }
  return { type: 'cli', id: name || `uid:${process.getuid?.() ?? 'unknown'}` };
}

/**
 * Appends one entry as {@link cliActor}: to `trail` (a forge's own), or to the trail of the
 * catalog a `DATABASE_URL` names, opened for this entry (safe next to a running server). Like
 * the routes, a failed append does not undo the change, which is already done: it is reported
 * on stderr (with the action and target, for the operator to act on) and `false` is returned.
 */
export async function recordCliAudit(
  trail: string | AuditTrail,
  entry: Omit<AuditInput, 'actor' | 'requestId' | 'clientAddress'>,
): Promise<boolean> {
  const input: AuditInput = { ...entry, actor: cliActor(), requestId: null, clientAddress: null };
  try {
    if (typeof trail !== 'string') {
      await trail.record(input);
      return true;
    }
    const opened = await openAuditTrail(trail);
    try {
      await opened.record(input);
    } finally {
      await opened.close();
    }
    return true;
  } catch (error) {
    const target = entry.target ? ` ${entry.target.type} ${entry.target.id ?? entry.target.name ?? ''}` : '';
    process.stderr.write(
      `error: could not append ${entry.action}${target} to the audit trail: ${(error as Error).message}\n`,
    );
    return false;
  }
}
