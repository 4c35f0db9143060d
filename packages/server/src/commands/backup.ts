import { parseArgs } from 'node:util';
import { keyRingFromEnv } from '@fileforge/core';
import { backupDetails, backupTarget } from '../backup/audit.js';
import { openConfiguredBlobStore } from '../backup/blob-store.js';
import { manifestKeys, signingKeyOf } from '../backup/manifest-signature.js';
import { backupDirOf } from '../backup/schedule-options.js';
import { createBackup } from '../backup/snapshot.js';
import { createLogger } from '../logger.js';
import { resolveSecrets } from '../secrets.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';
import { createProgressBar } from './progress-bar.js';

/** `fileforge backup --help`. */
export const BACKUP_USAGE = `Usage: fileforge backup [--output DIR] [--json]
  Writes one backup archive (the catalog, every stored file and derivative, and a manifest of
  SHA-256s, signed with a key derived from ENCRYPTION_KEY when set, else SECRET_KEY) and
  prints its path. Works while the server runs: it only reads DATA_DIR (on PostgreSQL, one
  consistent read-only snapshot of the catalog's schema; no pg_dump needed). Keep that key with
  your backups: "fileforge restore" verifies the signature with it.
  --output DIR   where the archive goes (default BACKUP_DIR, or DATA_DIR/backups)
  --json         print {"path","bytes","objects","missing","damaged"} instead of the path
Exit codes: 0 written, 1 failed (nothing complete is left behind), 2 usage.
`;

/**
 * `fileforge backup`: one archive per run, named `fileforge-backup-<UTC time>-<random>.tar.gz`,
 * written under a temp name and renamed when complete. A progress bar on a terminal.
 */
export async function runBackup(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) {
    process.stderr.write(BACKUP_USAGE);
    return 2;
  }
  const config = loadCliConfig();
  // SECRET_KEY as the server resolves it (generated and kept in DATA_DIR when unset).
  const { secretKey } = await resolveSecrets(config, createLogger(config.logLevel, { stderr: true }));
  const signingKey = signingKeyOf(manifestKeys({ secretKey, keyRing: keyRingFromEnv(config.env) }));
  const blobs = await openConfiguredBlobStore(config, config.uploadFolder);
  const bar = process.stderr.isTTY && !values.json ? undefined : null;
  let progress: ReturnType<typeof createProgressBar> | undefined;
  const result = await createBackup({
    databaseUrl: config.databaseUrl,
    blobs,
    outputDir: values.output ?? backupDirOf(config),
    signingKey,
    onProgress: ({ done, total }) => {
      if (bar === null) return;
      progress ??= createProgressBar(process.stderr, total, 'backing up');
      progress.update(done);
    },
  });
  progress?.done();
  // An archive holds every file in plaintext: who made one is worth knowing.
  await recordCliAudit(config.databaseUrl, {
    tenant: null,
    action: 'backup.create',
    target: backupTarget(result.path),
    details: backupDetails(result, signingKey.id),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  for (const key of result.missing) process.stderr.write(`warning: blob ${key} is missing from the store\n`);
  for (const key of result.damaged)
    process.stderr.write(`warning: blob ${key} does not match its SHA-256 (run fileforge fsck)\n`);
  for (const key of result.unreadable)
    process.stderr.write(
      `warning: blob ${key} could not be read and is not in the backup (run fileforge fsck)\n`,
    );
  process.stdout.write(`${result.path}\n`);
  return 0;
}
