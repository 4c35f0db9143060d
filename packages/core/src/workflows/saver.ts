/**
 * Whose rights a workflow's triggered runs have. A run started on a file acts on that file, as
 * reprocessing it does; a caller may start one by hand only on a file it may change, and a
 * trigger must be no way around that. So a workflow saved on someone's behalf (the server
 * records the user or API key that last saved it, `savedBy`) gets a triggered run on a file
 * only while that account could change the file by hand: it is looked up when the event
 * arrives, so a saver since demoted, disabled, deleted or revoked starts no run on others'
 * files. A workflow saved without one (through the SDK, by the code that opened the forge, or
 * before savers were recorded) acts with the forge's own rights, on every file.
 *
 * @module
 */
import type { AccountStore } from '../catalog/index.js';
import type { FileRecord } from '../model/file-record.js';
import { type FileActor, mayChangeFile, weakerRole } from '../model/ownership.js';
import type { WorkflowRecord, WorkflowSaver } from './model.js';

/** What {@link saverMayChange} reads: the accounts, by id. */
export type SaverAccounts = Pick<AccountStore, 'getUser' | 'getApiKey'>;

/**
 * The saver as it stands now, in the workflow's tenant, or `null` when it may no longer act: a
 * deleted or disabled user, a revoked key, a key whose creator is gone or disabled, an account
 * of another tenant. A key acts with the weaker of its role and its creator's, as when it calls.
 */
export async function currentSaver(
  accounts: SaverAccounts,
  tenant: string,
  saver: WorkflowSaver,
): Promise<FileActor | null> {
  const key = saver.kind === 'api_key' ? await accounts.getApiKey(saver.id) : null;
  if (saver.kind === 'api_key' && (!key || key.revokedAt || key.tenant !== tenant)) return null;
  const user = await accounts.getUser(key ? key.userId : saver.id);
  if (!user || user.disabled || user.tenant !== tenant) return null;
  return key
    ? { kind: 'api_key', id: key.id, userId: user.id, role: weakerRole(key.role, user.role) }
    : { kind: 'user', id: user.id, userId: user.id, role: user.role };
}

/**
 * Whether a trigger may start a run of `workflow` on `file`: always without a saver, else only
 * when the saver, as it stands now, may change the file (`mayChangeFile`).
 */
export async function saverMayChange(
  accounts: SaverAccounts,
  workflow: Pick<WorkflowRecord, 'tenant' | 'savedBy'>,
  file: Pick<FileRecord, 'ownerId' | 'apiKeyId'>,
): Promise<boolean> {
  if (!workflow.savedBy) return true;
  const saver = await currentSaver(accounts, workflow.tenant, workflow.savedBy);
  return saver !== null && mayChangeFile(saver, file);
}
