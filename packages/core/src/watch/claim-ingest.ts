/**
 * The folder watcher's work on claims: taking a file that became stable (locking its folder
 * entry and the new claim, renaming it into the claim area, handing it back if its writer
 * resumed meanwhile), and finishing a claim under its lock (ingest unless its id is already a
 * record, set a refused file aside, release the claim). Claims left by a watcher that died are
 * picked up by a sweep every `lockTtlMs`. See `folder-watcher.ts` for the whole protocol.
 *
 * @module
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import { crashPoint } from '../forge/crash-point.js';
import type { ForgeLogger } from '../forge/options.js';
import { isLockBusy, type LockManager } from '../locks/index.js';
import { type Claim, claimFile, listClaims, rejectClaim, releaseClaim, unclaim } from './claim.js';
import type { ClaimedFile, WatchScanResult } from './folder-watcher.js';
import type { StabilityTracker } from './stability.js';

/** What the claim work needs of its watcher (resolved options and shared state). */
export interface ClaimIngestOptions {
  /** The watched folder (absolute). */
  folder: string;
  ingest: (file: ClaimedFile, signal: AbortSignal) => Promise<unknown>;
  isIngested: (claimId: string) => Promise<boolean>;
  processedFolder: string | undefined;
  locks: LockManager;
  lockTtlMs: number;
  now: () => number;
  createClaimId: () => string;
  logger: ForgeLogger;
  /** The watcher's stability tracker: a file taken is forgotten there. */
  tracker: StabilityTracker;
  /** Aborted when the watcher closes: passed to every ingest. */
  signal: AbortSignal;
  /** True once the watcher is closing: no new work starts, failures are no longer logged. */
  isClosed: () => boolean;
}

/** FileForge refusals of the file itself: trying again would fail the same way. */
const REFUSALS: ReadonlySet<string> = new Set([
  ErrorCode.FILE_TOO_LARGE,
  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  ErrorCode.INVALID_FILENAME,
  ErrorCode.CONTENT_REJECTED,
  ErrorCode.VALIDATION_FAILED,
]);

/** Creates the claim work of one watcher. */
export function createClaimIngest(options: ClaimIngestOptions) {
  const { folder, processedFolder, locks, lockTtlMs, now, createClaimId, logger, tracker } = options;
  /** Claims this watcher holds after a transient failure; retried on each scan. */
  const held = new Map<string, Claim>();
  /** Files whose claim failed (e.g. another filesystem mounted inside): left alone until they change. */
  const unclaimable = new Map<string, string>();
  /** Files this process may not read, each reported once: they stay where they are. */
  const unreadable = new Set<string>();
  const versionOf = (o: { size: number; mtimeMs: number } | undefined) => `${o?.size}:${o?.mtimeMs}`;
  let lastSweep = now();
  let seenAtSweep = new Set<string>();

  /** Runs `fn` holding `watch:<folder>:<key>`; false (not run) while another watcher holds it. */
  async function holding(key: string, fn: () => Promise<void>): Promise<boolean> {
    try {
      await locks.withLock(`watch:${folder}:${key}`, fn, { ttlMs: Math.ceil(lockTtlMs) });
      return true;
    } catch (error) {
      if (isLockBusy(error)) return false;
      throw error;
    }
  }

  /** Finishes a claim found in the claim area (after a restart, or held after a failure), under its lock. */
  async function finish(claim: Claim, result: WatchScanResult): Promise<void> {
    try {
      // Busy: another live watcher is working on this claim and finishes it.
      if (!(await holding(`claim:${claim.claimId}`, () => finishLocked(claim, result))))
        held.delete(claim.claimId);
    } catch (error) {
      // The lock store is unreachable: nothing is done without the lock; tried again later.
      defer(claim, result, error, 'could not lock a watched file; will retry');
    }
  }

  /** Keeps `claim` for the next scan, counted as deferred; says why unless the watcher is closing. */
  function defer(claim: Claim, result: WatchScanResult, error: unknown, message: string): void {
    held.set(claim.claimId, claim);
    result.deferred++;
    if (!options.isClosed()) logger.warn({ err: error, path: claim.relativePath }, message);
  }

  async function finishLocked(claim: Claim, result: WatchScanResult): Promise<void> {
    const name = claim.relativePath.split('/').pop() ?? claim.relativePath;
    try {
      if (!(await options.isIngested(claim.claimId))) {
        if (!(await stat(claim.path).catch(() => undefined))) {
          held.delete(claim.claimId); // another watcher set it aside
          return;
        }
        try {
          await options.ingest({ ...claim, name }, options.signal);
        } catch (error) {
          if (await options.isIngested(claim.claimId)) {
            // another watcher finished the same claim first
          } else if (FileForgeError.is(error) && REFUSALS.has(error.code)) {
            await rejectClaim(folder, claim, { code: error.code, message: error.message });
            held.delete(claim.claimId);
            result.rejected++;
            logger.warn(
              { path: claim.relativePath, code: error.code },
              'watched file refused; set aside in rejected/',
            );
            return;
          } else {
            throw error;
          }
        }
        crashPoint('after-watch-ingest');
        result.ingested++;
      }
      await releaseClaim(claim, processedFolder);
      held.delete(claim.claimId);
    } catch (error) {
      defer(claim, result, error, 'could not ingest a watched file; will retry');
    }
  }

  /**
   * Claims in the area that are not this watcher's, seen at the previous sweep too: their
   * holder left them (a watcher that died, or this process's previous life whose locks had not
   * yet expired when it started again). Each is finished under its lock, or left to a live holder.
   */
  async function sweepClaims(result: WatchScanResult): Promise<void> {
    lastSweep = now();
    const claims = (await listClaims(folder)).filter((claim) => !held.has(claim.claimId));
    const previous = seenAtSweep;
    seenAtSweep = new Set(claims.map((claim) => claim.claimId));
    for (const claim of claims) {
      if (options.isClosed()) return;
      if (previous.has(claim.claimId)) await finish(claim, result);
    }
  }

  async function takeReady(path: string, result: WatchScanResult): Promise<void> {
    const observed = tracker.get(path);
    if (unclaimable.get(path) === versionOf(observed)) return;
    tracker.forget(path);
    const claimId = createClaimId();
    // The entry while it is claimed, and the new claim (nobody knows its id yet, so it is free)
    // before it exists; busy: another watcher is taking this file.
    await holding(`entry:${path}`, () =>
      holding(`claim:${claimId}`, () => claimAndFinish(path, claimId, observed, result)).then(() => {}),
    );
  }

  async function claimAndFinish(
    path: string,
    claimId: string,
    observed: { size: number; mtimeMs: number } | undefined,
    result: WatchScanResult,
  ): Promise<void> {
    // Claiming only needs write access to the folder: a file it could take but never read would
    // vanish from the user's folder and fail for ever. It stays, and is tried again once readable.
    const readable = await access(join(folder, path), constants.R_OK).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== 'EACCES' && error.code !== 'EPERM',
    );
    if (!readable) {
      if (!unreadable.has(path)) {
        if (unreadable.size < 1000) unreadable.add(path);
        logger.warn(
          { path },
          'watched file cannot be read by this process; give it read access to have it ingested',
        );
      }
      return;
    }
    unreadable.delete(path);
    let claim: Claim | null;
    try {
      claim = await claimFile(folder, path, claimId);
    } catch (error) {
      unclaimable.set(path, versionOf(observed));
      logger.warn({ err: error, path }, 'could not claim a watched file; leaving it until it changes');
      return;
    }
    unclaimable.delete(path);
    if (!claim) return; // another watcher has it
    crashPoint('after-watch-claim');
    // A writer that paused longer than the window and resumed still writes to the same inode:
    // if it did between the last scan and the rename, hand the file back and keep watching it.
    const now = await stat(claim.path).catch(() => undefined);
    if (observed && now && (now.size !== observed.size || now.mtimeMs !== observed.mtimeMs)) {
      if (await unclaim(folder, claim).catch(() => false)) return;
    }
    await finishLocked(claim, result);
  }

  return {
    /** Finishes a claim found in the claim area (after a restart), under its lock. */
    finish,
    /** Takes a file the tracker found stable, and finishes its claim. */
    takeReady,
    /** Finishes again the claims kept after a transient failure; false if it stopped for closing. */
    async retryHeld(result: WatchScanResult): Promise<boolean> {
      for (const claim of [...held.values()]) {
        if (options.isClosed()) return false;
        await finish(claim, result);
      }
      return true;
    },
    /** Sweeps the claim area when a whole `lockTtlMs` has passed since the last sweep. */
    async sweepIfDue(result: WatchScanResult): Promise<void> {
      if (now() - lastSweep >= lockTtlMs) await sweepClaims(result);
    },
    /** Forgets the unclaimable files that are gone from the folder. */
    forgetGone(seen: ReadonlyMap<string, unknown>): void {
      for (const path of unclaimable.keys()) if (!seen.has(path)) unclaimable.delete(path);
    },
  };
}
