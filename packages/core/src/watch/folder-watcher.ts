/**
 * The folder watcher. How it works: a scan lists the folder's files with their size and
 * mtime; a file unchanged for `stabilityMs` is claimed by renaming it into the claim area
 * (`<folder>/.fileforge-claims/<claimId>--<path>`), which is atomic, so of several watchers
 * exactly one gets it; the claimed file is ingested under the claim id as its file id; once
 * the record is committed the claim is removed (or moved to `processedFolder`). Native
 * `fs.watch` events only make the next scan come sooner; a periodic scan catches whatever
 * they miss (network shares, editors that replace files, a watcher that failed). On start the
 * claim area is finished first: a claim whose id is already a record is only released, so a
 * process killed at any point ingests each file exactly once.
 *
 * Several watchers on one folder (processes, machines on a shared mount) also take a lock per
 * folder entry from `locks` (Redis when shared): `entry:<path>` while a file is being claimed,
 * `claim:<claimId>` for as long as a claim is worked on. The rename alone is not enough: a
 * watcher starting up finishes every claim it finds, including one another live watcher is
 * ingesting right now (both ingest it; or the other hands the file back to the folder because
 * it changed while the first already read it, and it is ingested again under a new claim);
 * and on mounts whose rename is not atomic (FUSE, some SMB) two watchers can both "claim" one
 * file. A claim whose lock is held is left to its holder; a holder that died frees it after
 * the lock's TTL. The catalog's unique id stays the last word if a lock is lost.
 *
 * This file holds the options, the scans and their timing (native events, the periodic scan, a
 * scan when a settling file is due); the work on each claim is in `claim-ingest.ts`.
 *
 * @module
 */
import { type FSWatcher, watch } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import type { ForgeLogger } from '../forge/options.js';
import { createId } from '../ids/id.js';
import { createInProcessLockManager, type LockManager } from '../locks/index.js';
import { claimArea, listClaims } from './claim.js';
import { createClaimIngest } from './claim-ingest.js';
import { CLAIM_DIR, createIgnore, DEFAULT_WATCH_IGNORE } from './ignore.js';
import { scanFolder } from './scan.js';
import { createStabilityTracker } from './stability.js';

/** A claimed file handed to {@link FolderWatcherOptions.ingest}. */
export interface ClaimedFile {
  /** The claim's id: ingest the file under this id, so a restart can tell it was done. */
  claimId: string;
  /** The original file name (last segment of `relativePath`). */
  name: string;
  /** Where the file was, relative to the watched folder (posix). */
  relativePath: string;
  /** Absolute path of the claimed file: read the bytes from here. */
  path: string;
}

/** Options for {@link createFolderWatcher}. */
export interface FolderWatcherOptions {
  /** The folder to watch; must exist. */
  folder: string;
  /**
   * Stores a claimed file under `file.claimId`. Resolving means the record is committed;
   * rejecting leaves the claim to be tried again on the next scan, unless the error is a
   * FileForge refusal of the file itself (too large, type not allowed, bad name, rejected
   * content), which sets it aside in `<claim area>/rejected/`.
   */
  ingest: (file: ClaimedFile, signal: AbortSignal) => Promise<unknown>;
  /** True when a record with this id exists: the claim was ingested before a crash. */
  isIngested: (claimId: string) => Promise<boolean>;
  /** Watch subfolders too. @default false */
  recursive?: boolean;
  /**
   * How long a file's size and mtime must stay unchanged before it is taken. Longer is safer
   * for slow writers (a pause longer than this looks like a finished file); shorter ingests
   * sooner. @default 2000
   */
  stabilityMs?: number;
  /** Interval of the periodic scan that backs up native events. @default 2000 */
  pollIntervalMs?: number;
  /** Glob patterns never ingested (see {@link DEFAULT_WATCH_IGNORE}); the claim area is always ignored. @default DEFAULT_WATCH_IGNORE */
  ignore?: readonly string[];
  /** Move ingested files here (at their relative path) instead of deleting them. @default delete */
  processedFolder?: string;
  /** Clock in ms (stability decisions). @default Date.now */
  now?: () => number;
  /** Claim ids. @default createId(now()) */
  createClaimId?: () => string;
  /**
   * Locks per folder entry, shared by every watcher of this folder (see the module comment);
   * keys start with `watch:<folder>:`, so every instance must mount the folder at the same path.
   * @default in-process: orders the watchers of this process only
   */
  locks?: LockManager;
  /**
   * TTL of the claim locks (renewed while held). A claim another watcher held when this one
   * started, or since, is tried again once it has stayed in the claim area for a whole sweep
   * (every `lockTtlMs`): finished here if its holder died. @default 30000
   */
  lockTtlMs?: number;
  /** @default silent */
  logger?: ForgeLogger;
}

/** What one scan did. */
export interface WatchScanResult {
  /** Files found (not ignored). */
  seen: number;
  /** Files still being written or not yet stable for the whole window. */
  settling: number;
  /** Files ingested by this scan (including claims finished after a restart). */
  ingested: number;
  /** Files FileForge refused, set aside in the claim area's `rejected/` folder. */
  rejected: number;
  /** Claims kept for a later scan after a transient failure. */
  deferred: number;
}

/** A running folder watcher. */
export interface FolderWatcher {
  /** The watched folder (absolute). */
  readonly folder: string;
  /** Finishes the claim area, scans once, then watches. Resolves once that first scan is done. */
  start(): Promise<void>;
  /** Scans now (after a scan already running) and resolves with what it did. */
  rescan(): Promise<WatchScanResult>;
  /** Stops watching and polling and aborts an ingest in flight (its claim is finished on the next start). */
  close(): Promise<void>;
}

// Events come in bursts (a write is many events): coalesce them into one scan.
const EVENT_SETTLE_MS = 50;

const silent: ForgeLogger = { debug() {}, info() {}, warn() {}, error() {} };
const empty = (): WatchScanResult => ({ seen: 0, settling: 0, ingested: 0, rejected: 0, deferred: 0 });

function invalid(message: string): FileForgeError {
  return new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:watch] ${message}`);
}

function duration(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(`"${name}" must be a finite number of milliseconds ≥ 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Creates a watcher that ingests each file dropped into `folder` once it is fully written.
 * Bad options throw `INVALID_CONFIG` here; a missing folder is reported by `start()`.
 *
 * @example
 * ```ts
 * const watcher = createFolderWatcher({
 *   folder: '/srv/inbox',
 *   ingest: (file, signal) => forge.ingest(createReadStream(file.path), { name: file.name, id: file.claimId, signal }),
 *   isIngested: async (id) => (await forge.files.get(id)) !== null,
 * });
 * await watcher.start();
 * ```
 */
export function createFolderWatcher(options: FolderWatcherOptions): FolderWatcher {
  if (typeof options.folder !== 'string' || options.folder === '') throw invalid('"folder" is required');
  const folder = resolve(options.folder);
  const stabilityMs = duration('stabilityMs', options.stabilityMs ?? 2000);
  const pollIntervalMs = duration('pollIntervalMs', options.pollIntervalMs ?? 2000);
  if (pollIntervalMs === 0) throw invalid('"pollIntervalMs" must be > 0');
  const recursive = options.recursive ?? false;
  const now = options.now ?? Date.now;
  const createClaimId = options.createClaimId ?? (() => createId(now()));
  const logger = options.logger ?? silent;
  const locks = options.locks ?? createInProcessLockManager();
  const lockTtlMs = duration('lockTtlMs', options.lockTtlMs ?? 30_000);
  if (lockTtlMs < 1) throw invalid('"lockTtlMs" must be ≥ 1');
  const processedFolder = options.processedFolder ? resolve(options.processedFolder) : undefined;
  const baseIgnored = createIgnore(options.ignore ?? DEFAULT_WATCH_IGNORE);
  // A processed folder inside the watched one must not be watched, or files would come back.
  const processedRelative = processedFolder
    ? relative(folder, processedFolder).split(sep).join('/')
    : undefined;
  // Files moved there would be found again and ingested once more, for ever.
  if (processedRelative === '')
    throw invalid(`"processedFolder" must not be the watched folder "${folder}" itself`);
  const insideProcessed =
    processedRelative && !processedRelative.startsWith('..') && processedRelative !== ''
      ? (path: string) => path === processedRelative || path.startsWith(`${processedRelative}/`)
      : () => false;
  const ignored = (path: string) => baseIgnored(path) || insideProcessed(path);
  const tracker = createStabilityTracker(stabilityMs);
  const controller = new AbortController();

  let native: FSWatcher | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let eventTimer: NodeJS.Timeout | undefined;
  let dueTimer: NodeJS.Timeout | undefined;
  let current: Promise<WatchScanResult> | undefined;
  let queued: Promise<WatchScanResult> | undefined;
  let closed = false;
  const claims = createClaimIngest({
    folder,
    ingest: (file, signal) => options.ingest(file, signal),
    isIngested: (claimId) => options.isIngested(claimId),
    processedFolder,
    locks,
    lockTtlMs,
    now,
    createClaimId,
    logger,
    tracker,
    signal: controller.signal,
    isClosed: () => closed,
  });

  /** Names not valid UTF-8, each reported once (every scan sees them again). */
  const unreadable = new Set<string>();
  const onUnreadableName = (path: string) => {
    if (unreadable.has(path)) return;
    if (unreadable.size < 1000) unreadable.add(path);
    logger.warn(
      { folder, path },
      'watched name is not valid UTF-8; rename it to have it (or what it holds) ingested',
    );
  };
  /** Entries the process may not read, each reported once; the rest of the folder goes on. */
  const denied = new Set<string>();
  const onDenied = (path: string, error: NodeJS.ErrnoException) => {
    if (denied.has(path)) return;
    if (denied.size < 1000) denied.add(path);
    logger.warn(
      { folder, path, code: error.code },
      'watched entry cannot be read by this process; give it read access to have it ingested',
    );
  };

  async function scan(): Promise<WatchScanResult> {
    const result = empty();
    if (!(await claims.retryHeld(result))) return result;
    await claims.sweepIfDue(result);
    // The claim area may have gone (the folder recreated, a mount replaced): without it no file
    // can be claimed, and every claim would read as "taken by someone else".
    await mkdir(claimArea(folder), { recursive: true });
    const seen = await scanFolder(folder, { recursive, ignored, onUnreadableName, onDenied });
    const verdict = tracker.observe(seen, now());
    claims.forgetGone(seen);
    result.seen = seen.size;
    result.settling = seen.size - verdict.ready.length;
    for (const path of verdict.ready) {
      if (closed) break;
      await claims.takeReady(path, result);
    }
    scheduleDue(verdict.nextDueAt);
    return result;
  }

  function scanSoon(): Promise<WatchScanResult> {
    if (closed) return Promise.resolve(empty());
    if (!current) {
      current = scan().finally(() => {
        current = undefined;
      });
      return current;
    }
    queued ??= current
      .catch(() => {})
      .then(() => {
        queued = undefined;
        return scanSoon();
      });
    return queued;
  }

  /** Background scans: failures are logged, the next scan tries again. */
  function scanInBackground(): void {
    scanSoon().catch((error: unknown) => {
      if (!closed) logger.warn({ err: error, folder }, 'scan of the watched folder failed; will retry');
    });
  }

  function scheduleDue(dueAt: number | null): void {
    clearTimeout(dueTimer);
    dueTimer = undefined;
    if (dueAt === null || closed) return;
    // A little past the due time, so the file has really been stable for the whole window.
    dueTimer = setTimeout(scanInBackground, Math.max(0, dueAt - now()) + 10);
  }

  function onEvent(_event: string, filename: string | Buffer | null): void {
    const name = filename?.toString() ?? '';
    if (name === CLAIM_DIR || name.startsWith(`${CLAIM_DIR}/`) || name.startsWith(`${CLAIM_DIR}${sep}`))
      return;
    if (eventTimer || closed) return;
    eventTimer = setTimeout(() => {
      eventTimer = undefined;
      scanInBackground();
    }, EVENT_SETTLE_MS);
  }

  function watchNatively(): void {
    try {
      const watcher = watch(folder, { recursive, persistent: true }, onEvent);
      watcher.on('error', (error) => {
        logger.warn({ err: error, folder }, 'native file events failed; polling only');
        watcher.close();
        if (native === watcher) native = undefined;
      });
      native = watcher;
    } catch (error) {
      logger.warn({ err: error, folder }, 'native file events unavailable; polling only');
    }
  }

  return {
    folder,
    async start() {
      const info = await stat(folder).catch(() => undefined);
      if (!info?.isDirectory()) throw invalid(`Watch folder "${folder}" does not exist or is not a folder`);
      await mkdir(claimArea(folder), { recursive: true });
      const recovery = empty();
      for (const claim of await listClaims(folder)) {
        if (closed) return;
        await claims.finish(claim, recovery);
      }
      if (recovery.ingested + recovery.deferred > 0) {
        logger.info({ folder, ...recovery }, 'finished watched files claimed before a restart');
      }
      if (closed) return;
      watchNatively();
      pollTimer = setInterval(scanInBackground, pollIntervalMs);
      await scanSoon();
    },
    rescan: scanSoon,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pollTimer);
      clearTimeout(eventTimer);
      clearTimeout(dueTimer);
      native?.close();
      native = undefined;
      controller.abort(new FileForgeError(ErrorCode.SHUTTING_DOWN, '[fileforge:watch] Watcher closing'));
      await Promise.allSettled([current, queued]);
    },
  };
}
