import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  coreMigrations,
  ErrorCode,
  FileForgeError,
  type ForgeConfig,
  forgeOptionsFromConfig,
  keyRingFromEnv,
  type SortedTreeRebuild,
} from '@fileforge/core';
import { backupTarget } from '../backup/audit.js';
import { openConfiguredBlobStore } from '../backup/blob-store.js';
import { manifestKeys } from '../backup/manifest-signature.js';
import { type RestoreArea, restoreBackup } from '../backup/restore.js';
import { finishSortedTreeRebuild, sortedTreeRestore } from '../backup/sorted-tree.js';
import { readSecretKey } from '../secrets.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';
import { SERVER_MODULES } from './migrate.js';

/** `fileforge restore --help`. */
export const RESTORE_USAGE = `Usage: fileforge restore <archive> [--json] [--allow-unverified]
  Replaces the catalog and every stored file of DATA_DIR with a backup archive made by
  "fileforge backup". Stop the server first: restore needs the data directory to itself
  (on PostgreSQL, stop every server and worker of the catalog's schema: the restored schema
  takes its name in one transaction).
  The archive is verified completely (the manifest's signature, every object's SHA-256, the
  catalog's integrity) into a staging copy; the data is swapped only when all is well, so a
  refused archive or an interrupted restore leaves the current data as it was. Works on a new
  machine with an empty DATA_DIR, given the SECRET_KEY (or ENCRYPTION_KEY) of the
  installation that made the backup: the manifest is signed with a key derived from it.
  The sorted folder (SORTED_FOLDER), a view of the catalog, is rebuilt from the restored one:
  the entries of the files stored before are removed (files people put there stay) and the
  restored sorted files are placed.
  --allow-unverified  also restore an unsigned archive (made before manifests were signed) or
                 one signed by a key this installation lacks, with a warning; an altered
                 manifest is refused regardless
  --json         print {"objects","bytes","createdAt","signature","missing","damaged","sortedFolder"} when done, or {"error":{code,reason,message}}
Exit codes: 0 restored, 1 refused or failed (nothing changed — unless the message says the
restore is committed: then run restore or serve again to finish it), 2 usage.
`;

/** `fileforge restore <archive>`: verified, all-or-nothing restore of a backup archive. */
export async function runRestore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'allow-unverified': { type: 'boolean', default: false },
    },
  });
  const [archive, ...extra] = positionals;
  if (!archive || extra.length > 0) {
    process.stderr.write(RESTORE_USAGE);
    return 2;
  }
  if (!(await stat(archive).catch(() => null))?.isFile()) {
    process.stderr.write(`fileforge restore: ${archive} is not a file\n${RESTORE_USAGE}`);
    return 2;
  }
  const config = loadCliConfig();
  const bucket = await bucketRestoreArea(config);
  // The sorted tree is a view of the catalog: rebuilt from the restored one.
  const tree = sortedTreeRestore(config);
  let rebuilt: SortedTreeRebuild | null = null;
  try {
    const result = await restoreBackup({
      archive,
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      uploadFolder: config.uploadFolder,
      openStore: (root) => openConfiguredBlobStore(config, root),
      ...(bucket ? { restoreArea: bucket.area } : {}),
      keys: manifestKeys({ secretKey: readSecretKey(config), keyRing: keyRingFromEnv(config.env) }),
      allowUnverified: values['allow-unverified'],
      modules: [coreMigrations, ...SERVER_MODULES],
      // A restore killed before its tree was rebuilt is rebuilt first (its swap is finished by now).
      beforeRestore: async () => {
        await finishSortedTreeRebuild(config).catch((error: unknown) => warnUnrebuilt(error));
        await tree?.note();
      },
      ...(tree
        ? {
            afterRestore: async () => {
              rebuilt = await tree.rebuild().catch((error: unknown) => {
                warnUnrebuilt(error);
                return null;
              });
            },
          }
        : {}),
    });
    if (!result.signature.verified) {
      process.stderr.write(
        result.signature.reason === 'unsigned'
          ? 'warning: restored an unsigned archive (--allow-unverified): its origin was not verified\n'
          : `warning: restored an archive signed with key ${result.signature.keyId}, which this installation does not have (--allow-unverified): its origin was not verified\n`,
      );
    }
    if (result.missing.length > 0) {
      process.stderr.write(
        `warning: the backup had no bytes for ${result.missing.length} stored file(s) or derivative(s) its catalog names (lost before the backup, or deleted while it ran): run "fileforge fsck --repair" to mark them damaged\n`,
      );
    }
    if (result.damaged.length > 0) {
      process.stderr.write(
        `warning: ${result.damaged.length} stored file(s) or derivative(s) do not match the SHA-256 their catalog records (damaged before the backup): restored as archived; run "fileforge fsck" to list them\n`,
      );
    }
    const placed = rebuilt as SortedTreeRebuild | null;
    if (tree?.noteFailure) {
      process.stderr.write(
        `warning: the sorted folder's entries could not be read before the restore (${tree.noteFailure}): the files it showed before stay in it; remove them by hand\n`,
      );
    }
    if (placed && placed.occupied.length > 0) {
      process.stderr.write(
        `warning: ${placed.occupied.length} restored file(s) have something else at their place in the sorted folder, left as it is (first: ${placed.occupied[0]}): move it away and sort again\n`,
      );
    }
    if (placed && placed.failed.length > 0) {
      process.stderr.write(
        `warning: ${placed.failed.length} restored file(s) could not be placed in the sorted folder (first: ${placed.failed[0]}): run "fileforge fsck" to see why\n`,
      );
    }
    // Into the restored trail, which ends where the backup was taken: the restore is its next entry.
    await recordCliAudit(config.databaseUrl, {
      tenant: null,
      action: 'backup.restore',
      target: backupTarget(archive),
      details: {
        createdAt: result.createdAt,
        objects: result.objects,
        bytes: result.bytes,
        signature: result.signature,
      },
    });
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ ...result, ...(placed ? { sortedFolder: placed } : {}) })}\n`
        : `restored ${result.objects} objects (${result.bytes} bytes) from the backup of ${result.createdAt}${
            placed
              ? `; sorted folder rebuilt (${placed.placed} placed, ${placed.removed} old entries removed)`
              : ''
          }\n`,
    );
    return 0;
  } catch (error) {
    if (!FileForgeError.is(error)) throw error;
    const committed = (error.details as { reason?: string } | undefined)?.reason === 'restore_unfinished';
    // Refused: the tree is as it was. Committed: the next restore or serve rebuilds it.
    if (!committed) await tree?.discard().catch(() => {});
    const message =
      error.code === ErrorCode.CONFLICT
        ? `fileforge restore: ${error.message}. Stop the server before restoring; nothing was changed.`
        : committed
          ? `fileforge restore: ${error.message}.`
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
  } finally {
    bucket?.close();
  }
}

function warnUnrebuilt(error: unknown): void {
  process.stderr.write(
    `warning: the sorted folder could not be rebuilt (${error instanceof Error ? error.message : String(error)}): the next "fileforge restore" or "fileforge serve" tries again; "fileforge fsck --repair" places the restored files now\n`,
  );
}

/**
 * With blobs in S3, the bucket's restore area: the archive's blobs are staged under the
 * bucket's reserved prefix, encrypted as live ones, and copied into place only once verified.
 */
async function bucketRestoreArea(
  config: ForgeConfig,
): Promise<{ area: RestoreArea; close(): void } | undefined> {
  const s3 = forgeOptionsFromConfig(config).s3;
  if (!s3) return undefined;
  const { createS3RestoreArea } = await import('@fileforge/core/storage/s3');
  const area = createS3RestoreArea(s3);
  return {
    area: {
      open: () => openConfiguredBlobStore(config, config.uploadFolder, { s3: area.staging }),
      promote: (key) => area.promote(key),
      clear: () => area.clear(),
    },
    close: () => area.close(),
  };
}
