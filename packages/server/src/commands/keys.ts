import { parseArgs } from 'node:util';
import {
  type EncryptedBlobStore,
  ErrorCode,
  FileForgeError,
  type KeyRing,
  keyRingFromEnv,
  openCatalog,
  type RotateKeysReport,
  rotateKeys,
} from '@fileforge/core';
import { connectorMigrations, type ResealReport, webhookMigrations } from '@fileforge/integrations';
import { openConfiguredBlobStore } from '../backup/blob-store.js';
import { resealIntegrationSecrets } from '../forge-extensions.js';
import { createLogger } from '../logger.js';
import { resolveSecrets } from '../secrets.js';
import { recordCliAudit } from './cli-audit.js';
import { loadCliConfig } from './cli-config.js';
import { createProgressBar } from './progress-bar.js';

/** `fileforge keys --help`. */
export const KEYS_USAGE = `Usage: fileforge keys rotate [--json]
  Re-wraps every stored file's data key (originals and derivatives) under the current
  ENCRYPTION_KEY, then re-seals connector credentials and webhook endpoint secrets under it
  (including those sealed under the SECRET_KEY-derived key before ENCRYPTION_KEY was set). Only each blob's 204-byte header is rewritten, never its content, so it is
  quick, and it is resumable: a blob already under the current key is skipped, so an
  interrupted run is simply started again. It works while the server runs (it does not take
  the data directory's lock), and the server reads every blob throughout.

  Rotating, step by step:
    1. ENCRYPTION_KEY=<new key>  ENCRYPTION_KEYS_OLD=<old key>  and restart the server
       (new files use the new key; old ones still read)
    2. fileforge keys rotate     (with the same environment)
    3. once it reports 0 failed: remove the old key from ENCRYPTION_KEYS_OLD, restart

  Prints progress, then "<n> re-wrapped, <n> already current, <n> failed" for files and
  "secrets: <n> re-sealed, <n> already current, <n> failed"; exits 1 if anything failed (each
  is listed with its error, e.g. KEY_UNAVAILABLE: that key is missing).
  --json   print {"key","files":{"total","done","rewrapped","current","failed":[{key,code,message}]},
           "secrets":{"resealed","current","failed":[{target,code,message}]}} instead
Exit codes: 0 everything under the current key, 1 anything failed, 2 usage error.
`;

function summary(report: RotateKeysReport): string {
  return `${report.rewrapped} re-wrapped, ${report.current} already current, ${report.failed.length} failed (of ${report.total})\n`;
}

/** `fileforge keys rotate`: re-wraps every blob's data key under the current master key. */
export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals[0] !== 'rotate' || positionals.length > 1) {
    process.stderr.write(KEYS_USAGE);
    return 2;
  }
  const config = loadCliConfig();
  const keyRing = keyRingFromEnv(config.env);
  if (!keyRing) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:keys] ENCRYPTION_KEY is not set: there is no key to rotate to (see docs/security-guide.md)',
    );
  }
  // Never swept here: the temp directory belongs to the server, which may be running.
  const store = (await openConfiguredBlobStore(config, config.uploadFolder)) as EncryptedBlobStore;
  process.stderr.write(`rotating to key ${keyRing.current.id}\n`);
  const tty = process.stderr.isTTY === true && !values.json;
  let bar: ReturnType<typeof createProgressBar> | undefined;
  let lastLine = 0;
  const report = await rotateKeys(store, {
    onProgress: (r) => {
      if (tty) {
        bar ??= createProgressBar(process.stderr, r.total, 'files');
        bar.update(r.done);
      } else if (r.done - lastLine >= 1000 || r.done === r.total) {
        lastLine = r.done;
        process.stderr.write(`${r.done}/${r.total}\n`);
      }
    },
  });
  bar?.done();
  for (const failure of report.failed)
    process.stderr.write(`${failure.key}: ${failure.code} ${failure.message}\n`);
  if (!values.json) process.stdout.write(summary(report));
  const sealed = await resealSecrets(config, keyRing);
  for (const failure of sealed.failed)
    process.stderr.write(`${failure.target}: ${failure.code} ${failure.message}\n`);
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ key: keyRing.current.id, files: report, secrets: sealed })}\n`
      : `secrets: ${sealed.resealed} re-sealed, ${sealed.current} already current, ${sealed.failed.length} failed\n`,
  );
  await recordCliAudit(config.databaseUrl, {
    tenant: null,
    action: 'encryption.key_rotate',
    target: { type: 'key', id: keyRing.current.id, name: null },
    details: {
      blobs: { rewrapped: report.rewrapped, current: report.current, failed: report.failed.length },
      secrets: { resealed: sealed.resealed, current: sealed.current, failed: sealed.failed.length },
    },
  });
  return report.failed.length === 0 && sealed.failed.length === 0 ? 0 : 1;
}

/** Connector credentials and webhook endpoint secrets under the current key (SECRET_KEY as `serve` resolves it). */
async function resealSecrets(
  config: ReturnType<typeof loadCliConfig>,
  keyRing: KeyRing,
): Promise<ResealReport> {
  const { secretKey } = await resolveSecrets(config, createLogger(config.logLevel, { stderr: true }));
  const catalog = await openCatalog(config.databaseUrl, {
    migrations: [connectorMigrations, webhookMigrations],
  });
  try {
    await catalog.migrate();
    return await resealIntegrationSecrets(catalog.db!(), { secretKey, keyRing });
  } finally {
    await catalog.close();
  }
}
