import { mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, join, posix } from 'node:path';
import { moveNoClobber } from '../sorter/folder/move.js';
import { CLAIM_DIR } from './ignore.js';

/**
 * A file taken out of the watched folder into its claim area, named
 * `<claimId>--<encoded relative path>`. The claim id becomes the file's id in the catalog, so
 * after a crash "was this claim ingested?" is one lookup by id.
 */
export interface Claim {
  /** Generated id (26 chars), also the id of the file record the claim becomes. */
  claimId: string;
  /** Where the file was, relative to the watched folder (posix). */
  relativePath: string;
  /** Absolute path of the claimed file inside the claim area. */
  path: string;
}

// Longest file name most filesystems take, in bytes, less the id and the `--`.
const NAME_BYTES = 255 - 26 - 2;
const CLAIM_NAME = /^([0-9a-z]{26})--(.+)$/;

const encode = (s: string) => s.replace(/%/g, '%25').replace(/\//g, '%2F');
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * The claim's file name. The relative path is kept in it (`/` and `%` percent-encoded) so a
 * restarted watcher still knows where the file came from; a path too long for one file name
 * keeps only as much of its last segment as fits, cut from the front so the extension stays.
 */
export function claimFileName(claimId: string, relativePath: string): string {
  const whole = encode(relativePath);
  if (bytes(whole) <= NAME_BYTES) return `${claimId}--${whole}`;
  const chars = [...posix.basename(relativePath)];
  while (chars.length > 1 && bytes(encode(chars.join(''))) > NAME_BYTES) chars.shift();
  return `${claimId}--${encode(chars.join(''))}`;
}

/** Reads a claim file name back; `null` for anything else in the claim area. */
export function parseClaimFileName(name: string): Pick<Claim, 'claimId' | 'relativePath'> | null {
  const match = CLAIM_NAME.exec(name);
  if (!match) return null;
  try {
    return { claimId: match[1]!, relativePath: decodeURIComponent(match[2]!) };
  } catch {
    return null; // not one of ours: we only ever write %25 and %2F
  }
}

/** The claim area of a watched folder. */
export const claimArea = (folder: string) => join(folder, CLAIM_DIR);

/**
 * Claims one file by renaming it into the claim area: atomic on one filesystem, so when
 * several watchers race for a file exactly one rename succeeds. `null` when the file is gone
 * (another watcher took it, or its owner removed it).
 */
export async function claimFile(
  folder: string,
  relativePath: string,
  claimId: string,
): Promise<Claim | null> {
  const path = join(claimArea(folder), claimFileName(claimId, relativePath));
  try {
    await rename(join(folder, relativePath), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return { claimId, relativePath, path };
}

/**
 * Gives a claim back to the watched folder (its content changed while it was being claimed).
 * Leaves it claimed when something new took its old place; the caller retries it later.
 */
export async function unclaim(folder: string, claim: Claim): Promise<boolean> {
  // Never over a file that took the old place meanwhile (a check, then a rename, could).
  return (await moveNoClobber(claim.path, join(folder, claim.relativePath), claim.claimId)) !== 'exists';
}

/** Claims left in the claim area (by this or an earlier, perhaps killed, process). */
export async function listClaims(folder: string): Promise<Claim[]> {
  const area = claimArea(folder);
  const entries = await readdir(area, { withFileTypes: true });
  const claims: Claim[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const parsed = parseClaimFileName(entry.name);
    if (parsed) claims.push({ ...parsed, path: join(area, entry.name) });
  }
  return claims.sort((a, b) => (a.claimId < b.claimId ? -1 : 1));
}

/** `a/report.pdf` → `a/report.<claimId>.pdf`, for a processed file whose name is taken. */
function besideName(relativePath: string, claimId: string): string {
  const ext = extname(relativePath);
  return `${relativePath.slice(0, relativePath.length - ext.length)}.${claimId}${ext}`;
}

/**
 * Ends a claim whose record is committed: the claimed file is removed, or moved to
 * `processedFolder` at its original relative path (beside an existing file of that name,
 * with the claim id in its name, never over it).
 */
export async function releaseClaim(claim: Claim, processedFolder?: string): Promise<void> {
  if (!processedFolder) {
    await unlink(claim.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    return;
  }
  // Linked (or, on another filesystem, copied to a temp name, fsynced and renamed): a kill
  // mid-way never leaves a half-written file under its final name, and nothing is overwritten.
  const moveTo = async (relativePath: string) => {
    const target = join(processedFolder, relativePath);
    await mkdir(dirname(target), { recursive: true });
    return moveNoClobber(claim.path, target, claim.claimId);
  };
  try {
    if ((await moveTo(claim.relativePath)) !== 'exists') return;
    // Taken: beside it, with the claim id in the name. Taken too, it is this claim's own copy
    // from a release a kill cut short after the copy: only the claim is left to remove.
    if ((await moveTo(besideName(claim.relativePath, claim.claimId))) === 'exists') await unlink(claim.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // another watcher released it already
  }
}

/**
 * Sets aside a claim FileForge refused (too large, type not allowed, bad name): it goes to
 * `<claim area>/rejected/` with `<claimId>.error.json` beside it, so it is not tried again on every
 * scan and an operator can see why.
 */
export async function rejectClaim(folder: string, claim: Claim, reason: { code: string; message: string }) {
  const dir = join(claimArea(folder), 'rejected');
  const name = claimFileName(claim.claimId, claim.relativePath);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, `${claim.claimId}.error.json`),
    `${JSON.stringify({ ...reason, path: claim.relativePath })}\n`,
  );
  // Inside the claim area: one filesystem, a rename.
  await rename(claim.path, join(dir, name));
}
