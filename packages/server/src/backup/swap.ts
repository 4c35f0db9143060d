/**
 * The last step of a restore: verified staging copies take the place of the live catalog and
 * blob store, crash-safely.
 *
 * How this works: the staging copies sit beside what they replace (same filesystem, so each
 * move is one `rename`). Before the first rename a journal naming every move is written and
 * fsynced: from then on the restore is committed and is finished forward by
 * {@link recoverRestore} if the process dies (the next `fileforge restore` or `fileforge
 * serve` runs it first). Each part moves live → `.restore-old`, then staging → live; the
 * catalog's `-wal`/`-shm` move aside first so an old WAL can never be applied to the new
 * catalog. The old parts are removed last, then the journal. Without a journal, staging
 * leftovers are from a restore that died before verifying everything, and are removed.
 *
 * On PostgreSQL the catalog part is a schema, not a file: the verified archive was loaded into
 * a staging schema beside the live one, and after the journal is written the two swap names in
 * one transaction (core's `swapPostgresSchemas`: live → `<schema>_restore_old`, staging →
 * live), before the blob root moves; a recovery repeats whatever did not happen. The old schema
 * is dropped with the other old parts (the archive it came from is the safety copy).
 *
 * @module
 */
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  catalogEngine,
  crashPoint,
  dropRestoreSchemas,
  ErrorCode,
  FileForgeError,
  PRIVATE_FILE_MODE,
  sqlitePathFromUrl,
  swapPostgresSchemas,
} from '@fileforge/core';

/** The live paths a restore replaces, and where their staging copies go. */
export interface RestoreTargets {
  dataDir: string;
  /** `sqlite:<path>` or `postgresql://…` of the live catalog. */
  databaseUrl: string;
  uploadFolder: string;
}

interface SwapPart {
  live: string;
  staged: string | null;
  old: string;
}

const JOURNAL = 'restore-journal.json';

const isPostgres = (targets: RestoreTargets) => catalogEngine(targets.databaseUrl) === 'postgresql';

/**
 * Staging paths beside the live catalog and blob root. On PostgreSQL `catalog` is a directory
 * holding the archive's dump until it is loaded into the staging schema.
 */
export function stagingPaths(targets: RestoreTargets) {
  if (isPostgres(targets)) {
    return {
      dbPath: null,
      catalog: join(targets.dataDir, 'catalog.restoring'),
      blobs: `${targets.uploadFolder}.restoring`,
    };
  }
  const dbPath = sqlitePathFromUrl(targets.databaseUrl);
  return { dbPath, catalog: `${dbPath}.restoring`, blobs: `${targets.uploadFolder}.restoring` };
}

function swapParts(targets: RestoreTargets): SwapPart[] {
  const { dbPath, catalog, blobs } = stagingPaths(targets);
  if (dbPath === null)
    return [{ live: targets.uploadFolder, staged: blobs, old: `${targets.uploadFolder}.restore-old` }];
  return [
    { live: `${dbPath}-wal`, staged: null, old: `${dbPath}-wal.restore-old` },
    { live: `${dbPath}-shm`, staged: null, old: `${dbPath}-shm.restore-old` },
    { live: dbPath, staged: catalog, old: `${dbPath}.restore-old` },
    { live: targets.uploadFolder, staged: blobs, old: `${targets.uploadFolder}.restore-old` },
  ];
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function fsync(path: string, flags = 'r'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Moves one part; each step is skipped when a previous (crashed) attempt already did it. */
async function movePart(part: SwapPart): Promise<void> {
  const staged = part.staged !== null && (await exists(part.staged));
  if (part.staged !== null && !staged) return; // already in place
  if (await exists(part.live)) {
    // Something at `live` while the old copy is already aside was created after a crash
    // (e.g. an empty catalog): it is not data, the old copy is.
    if (await exists(part.old)) await rm(part.live, { recursive: true, force: true });
    else await rename(part.live, part.old);
  }
  if (part.staged !== null) await rename(part.staged, part.live);
  await fsync(dirname(part.live));
}

async function finish(
  parts: SwapPart[],
  journal: string,
  targets: RestoreTargets,
  postgres: boolean,
): Promise<void> {
  if (postgres) {
    await swapPostgresSchemas(targets.databaseUrl);
    crashPoint('mid-restore', 'schema-swapped');
  }
  for (const part of parts) await movePart(part);
  for (const part of parts) await rm(part.old, { recursive: true, force: true });
  if (postgres) {
    await dropRestoreSchemas(targets.databaseUrl, ['old']);
    await rm(stagingPaths(targets).catalog, { recursive: true, force: true });
  }
  await rm(journal, { force: true });
  await fsync(dirname(journal));
}

/**
 * Refuses, before anything is committed, a swap whose renames cannot work: a live folder that
 * is a mount point of its own (a volume, another disk) cannot be renamed (EBUSY), and a staging
 * copy on another filesystem than its live place would have to be copied. Failing there, after
 * the journal, would leave a restore half-swapped.
 */
async function assertSwappable(parts: readonly SwapPart[]): Promise<void> {
  for (const part of parts) {
    if (part.staged === null) continue;
    const parent = await stat(dirname(part.live)).catch(() => null);
    if (parent === null) continue;
    const live = await stat(part.live).catch(() => null);
    const staged = await stat(part.staged).catch(() => null);
    const apart =
      (live !== null && live.dev !== parent.dev) || (staged !== null && staged.dev !== parent.dev);
    if (!apart) continue;
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:backup] ${part.live} is a mount point of its own (or on another filesystem than ${dirname(part.live)}): a restore replaces it by renaming, which cannot cross filesystems. Mount its parent folder instead (e.g. the whole DATA_DIR) and restore again`,
      { details: { reason: 'mount_point', path: part.live } },
    );
  }
}

/**
 * Writes `text` to `path` whole or not at all, and durably: through `<path>.tmp`, fsynced, renamed
 * into place, the folder fsynced. Readers see the old file or the new one, never a part.
 */
export async function writeDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text, { mode: PRIVATE_FILE_MODE });
  await fsync(temp, 'r+');
  await rename(temp, path);
  await fsync(dirname(path));
}

/** Whether a restore is committed (its journal written) but not finished. */
export function restoreCommitted(targets: RestoreTargets): Promise<boolean> {
  return exists(join(targets.dataDir, JOURNAL));
}

/** Commits a verified restore: writes the journal, swaps every part, removes the old data. */
export async function swapIn(targets: RestoreTargets): Promise<void> {
  const parts = swapParts(targets);
  await assertSwappable(parts);
  const journal = join(targets.dataDir, JOURNAL);
  const postgres = isPostgres(targets);
  await writeDurably(journal, JSON.stringify({ parts, postgres }));
  await finish(parts, journal, targets, postgres);
}

/**
 * Brings a data directory back to one whole state after a restore died: finishes a committed
 * swap (journal present), or removes the staging leftovers of one that never committed.
 * Returns what it did. Call it holding the data-directory lock, before opening the catalog.
 */
export async function recoverRestore(targets: RestoreTargets): Promise<'none' | 'finished' | 'cleaned'> {
  const journal = join(targets.dataDir, JOURNAL);
  const text = await readFile(journal, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    let parts: SwapPart[];
    let postgres = false;
    try {
      const parsed = JSON.parse(text) as { parts: SwapPart[]; postgres?: boolean };
      parts = parsed.parts;
      postgres = parsed.postgres === true;
    } catch {
      // The journal is renamed into place whole: an unreadable one was never committed.
      parts = [];
    }
    await rm(`${journal}.tmp`, { force: true });
    if (parts.length > 0) {
      await finish(parts, journal, targets, postgres);
      return 'finished';
    }
    await rm(journal, { force: true });
  }
  await rm(`${journal}.tmp`, { force: true });
  const staging = stagingPaths(targets);
  let leftovers = (await exists(staging.catalog)) || (await exists(staging.blobs));
  await rm(staging.catalog, { recursive: true, force: true });
  await rm(staging.blobs, { recursive: true, force: true });
  // A staging schema without a journal was never verified and committed: not data.
  if (isPostgres(targets) && (await dropRestoreSchemas(targets.databaseUrl, ['staging']))) leftovers = true;
  return leftovers ? 'cleaned' : 'none';
}
