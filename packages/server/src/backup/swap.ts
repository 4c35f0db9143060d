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
 * @module
 */
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PRIVATE_FILE_MODE, sqlitePathFromUrl } from '@fileforge/core';

/** The live paths a restore replaces, and where their staging copies go. */
export interface RestoreTargets {
  dataDir: string;
  /** `sqlite:<path>` of the live catalog. */
  databaseUrl: string;
  uploadFolder: string;
}

interface SwapPart {
  live: string;
  staged: string | null;
  old: string;
}

const JOURNAL = 'restore-journal.json';

/** Staging paths beside the live catalog and blob root. */
export function stagingPaths(targets: RestoreTargets) {
  const dbPath = sqlitePathFromUrl(targets.databaseUrl);
  return { dbPath, catalog: `${dbPath}.restoring`, blobs: `${targets.uploadFolder}.restoring` };
}

function swapParts(targets: RestoreTargets): SwapPart[] {
  const { dbPath, catalog, blobs } = stagingPaths(targets);
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

async function finish(parts: SwapPart[], journal: string): Promise<void> {
  for (const part of parts) await movePart(part);
  for (const part of parts) await rm(part.old, { recursive: true, force: true });
  await rm(journal, { force: true });
  await fsync(dirname(journal));
}

/** Commits a verified restore: writes the journal, swaps every part, removes the old data. */
export async function swapIn(targets: RestoreTargets): Promise<void> {
  const parts = swapParts(targets);
  const journal = join(targets.dataDir, JOURNAL);
  const temp = `${journal}.tmp`;
  await writeFile(temp, JSON.stringify({ parts }), { mode: PRIVATE_FILE_MODE });
  await fsync(temp, 'r+');
  await rename(temp, journal);
  await fsync(targets.dataDir);
  await finish(parts, journal);
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
    try {
      parts = (JSON.parse(text) as { parts: SwapPart[] }).parts;
    } catch {
      // The journal is renamed into place whole: an unreadable one was never committed.
      parts = [];
    }
    await rm(`${journal}.tmp`, { force: true });
    if (parts.length > 0) {
      await finish(parts, journal);
      return 'finished';
    }
    await rm(journal, { force: true });
  }
  await rm(`${journal}.tmp`, { force: true });
  const staging = stagingPaths(targets);
  const leftovers = (await exists(staging.catalog)) || (await exists(staging.blobs));
  await rm(staging.catalog, { force: true });
  await rm(staging.blobs, { recursive: true, force: true });
  return leftovers ? 'cleaned' : 'none';
}
