import { parseArgs } from 'node:util';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { openConfiguredBlobStore } from '../backup/blob-store.js';
import { restoreBackup } from '../backup/restore.js';
import { loadCliConfig } from './cli-config.js';

/** `fileforge restore --help`. */
export const RESTORE_USAGE = `Usage: fileforge restore <archive> [--json]
  Replaces the catalog and every stored file of DATA_DIR with a backup archive made by
  "fileforge backup". Stop the server first: restore needs the data directory to itself.
  The archive is verified completely (manifest, every object's SHA-256, the catalog's
  integrity) into a staging copy; the data is swapped only when all is well, so a refused
  archive or an interrupted restore leaves the current data as it was. Works on a new
  machine with an empty DATA_DIR.
  --json         print {"objects","bytes","createdAt"} when done, or {"error":{code,reason,message}}
Exit codes: 0 restored, 1 refused or failed (nothing changed), 2 usage.
`;

/** `fileforge restore <archive>`: verified, all-or-nothing restore of a backup archive. */
export async function runRestore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [archive, ...extra] = positionals;
  if (!archive || extra.length > 0) {
    process.stderr.write(RESTORE_USAGE);
    return 2;
  }
  const config = loadCliConfig();
  try {
    const result = await restoreBackup({
      archive,
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      uploadFolder: config.uploadFolder,
      openStore: (root) => openConfiguredBlobStore(config, root),
    });
    process.stdout.write(
      values.json
        ? `${JSON.stringify(result)}\n`
        : `restored ${result.objects} objects (${result.bytes} bytes) from the backup of ${result.createdAt}\n`,
    );
    return 0;
  } catch (error) {
    if (!FileForgeError.is(error)) throw error;
    const message =
      error.code === ErrorCode.CONFLICT
        ? `fileforge restore: ${error.message}. Stop the server before restoring; nothing was changed.`
        : `fileforge restore: ${error.message}; nothing was changed.`;
    if (values.json) {
      const reason = (error.details as { reason?: string } | undefined)?.reason;
      process.stdout.write(
        `${JSON.stringify({ error: { code: error.code, reason, message: error.message } })}\n`,
      );
    } else {
      process.stderr.write(`${message} (${error.code})\n`);
    }
    return 1;
  }
}
