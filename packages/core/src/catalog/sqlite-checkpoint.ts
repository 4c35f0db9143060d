/**
 * WAL checkpoints of the SQLite catalog, moved out of commits and off the event loop.
 *
 * How this works: SQLite copies the write-ahead log back into the database file (a
 * checkpoint, two `fsync`s) in whichever connection commits when the log passes
 * `wal_autocheckpoint` pages, 1,000 by default. better-sqlite3 is synchronous, so that
 * commit holds the event loop for the checkpoint (3–55 ms), and under a steady write load it
 * comes often. Here a timer checkpoints (PASSIVE: never waits, never blocks a writer) every
 * `intervalMs` instead, between queries, so a burst of commits shares one checkpoint. Once the
 * log file has grown to `offloadAfterPages` pages (a write load heavy enough that copying them
 * back holds the event loop for tens of milliseconds), or once one checkpoint on the event loop
 * took longer than `offloadAfterMs` (the disk's `fsync`s are slow), the checkpoints move for
 * good to one background thread per process (`checkpointer.ts`) — that copy included, the tick
 * sees the size before it checkpoints — which keeps a second connection to the catalog file
 * and runs the same PASSIVE checkpoint there: the page copies and the `fsync`s then happen off
 * the event loop. A catalog written lightly (a server storing uploads) on a disk that syncs
 * quickly never starts that thread and its few megabytes. A second connection runs
 * PASSIVE checkpoints only: they never restart the log, which from there would fail the
 * catalog's open transactions that read before it (`SQLITE_BUSY_SNAPSHOT`). The catalog's own
 * connection restarts the log once it is copied back, and cuts a log file grown past
 * `maxWalBytes` (a burst, or another process's reader holding old pages) back to that size when
 * it does (`journal_size_limit`). SQLite's own automatic checkpoint stays on at that threshold,
 * so the log stays bounded even when no checkpoint can run. Stopping closes the thread's
 * connection first, so closing the catalog's connection, the last one, still checkpoints and
 * removes the log. Durability is unchanged: a commit is durable once it is in the log, whenever
 * the log is copied back.
 *
 * Where no thread can be started the checkpoints stay on the event loop, and if the thread
 * dies they come back to it.
 *
 * @module
 */
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { watchCatalogFile } from './checkpointer.js';

/** Options for {@link scheduleWalCheckpoints}. */
export interface WalCheckpointOptions {
  /** Path of the database file; its log is `<path>-wal`. */
  path: string;
  /** Time between checkpoints. @default 1000 */
  intervalMs?: number;
  /**
   * Log size at which SQLite checkpoints in the committing connection, and to which the log
   * file is truncated when it restarts. More lets more commits share a checkpoint,
   * at the cost of disk space and a longer recovery read after a crash. @default 64 MiB
   */
  maxWalBytes?: number;
  /**
   * Pages the log file has grown to (it keeps its size when the log restarts) from which
   * checkpoints move to the background thread. Lower moves them sooner (a thread costs about
   * 8 MiB of memory); higher keeps more of them, and their pauses, on the event loop.
   * @default 1000 (4 MiB of 4 KiB pages)
   */
  offloadAfterPages?: number;
  /**
   * How long one checkpoint on the event loop may hold it (ms): a checkpoint that took longer
   * moves the checkpoints to the background thread, whatever the log's size. A checkpoint's two
   * `fsync`s alone take tens of milliseconds on some disks. @default 10
   */
  offloadAfterMs?: number;
}

/** A running checkpoint schedule. */
export interface WalCheckpoints {
  /** Runs one checkpoint now, on this thread and this connection; returns the log's pages. */
  checkpoint(): number;
  /**
   * Stops the schedule and closes its connection (waits for a checkpoint in progress);
   * call before closing the database.
   */
  stop(): void;
}

/** SQLite's own checkpoint threshold, and the size a restarted log file is cut back to. */
const DEFAULT_MAX_WAL_BYTES = 64 * 1024 * 1024;

/**
 * Raises `wal_autocheckpoint` on `database` and checkpoints on a timer instead, moving to a
 * background thread under a heavy write load (see the module comment). The database must be
 * in WAL mode and writable.
 */
export function scheduleWalCheckpoints(
  database: BetterSqlite3.Database,
  options: WalCheckpointOptions,
): WalCheckpoints {
  const maxWalBytes = options.maxWalBytes ?? DEFAULT_MAX_WAL_BYTES;
  const intervalMs = options.intervalMs ?? 1000;
  const offloadAfterPages = options.offloadAfterPages ?? 1000;
  const offloadAfterMs = options.offloadAfterMs ?? 10;
  const pageSize = database.pragma('page_size', { simple: true }) as number;
  database.pragma(`wal_autocheckpoint = ${Math.max(1000, Math.floor(maxWalBytes / pageSize))}`);
  database.pragma(`journal_size_limit = ${maxWalBytes}`);

  let offloaded: { stop(): void } | undefined;
  /** The thread was lost once: the checkpoints stay on the event loop from then on. */
  let lost = false;
  let timer: NodeJS.Timeout | undefined;
  const checkpoint = () => {
    // A Kysely transaction may be open across an await: a checkpoint inside it would fail.
    if (!database.open || database.inTransaction) return 0;
    return checkpointWal(database, options.path);
  };
  const onLost = () => {
    offloaded = undefined;
    lost = true;
    if (database.open) startTimer();
  };
  /** A log file this size held `offloadAfterPages` frames (a 32-byte header, 24 per frame). */
  const offloadBytes = 32 + offloadAfterPages * (pageSize + 24);
  /** Hands the checkpoints to the thread; false where none could be started. */
  const offload = () => {
    offloaded = watchCatalogFile({ path: options.path, intervalMs }, onLost);
    if (offloaded) clearInterval(timer);
    return offloaded !== undefined;
  };
  const startTimer = () => {
    timer = setInterval(() => {
      if (!lost && walBytes(options.path) >= offloadBytes && offload()) return;
      const started = performance.now();
      // Pages copied back or not, a checkpoint this slow on this disk is the thread's work.
      if (checkpoint() > 0 && !lost && performance.now() - started >= offloadAfterMs) offload();
    }, intervalMs);
    timer.unref();
  };
  startTimer();
  return {
    checkpoint,
    stop: () => {
      clearInterval(timer);
      offloaded?.stop();
    },
  };
}

/**
 * One PASSIVE checkpoint of `path`'s log on `database`, when the log holds anything; returns
 * how many pages the log held (0 when nothing ran). Errors are swallowed: another connection
 * checkpoints, or the disk is failing and the next commit reports it. The background thread
 * runs the same steps (`checkpointer.ts`).
 */
function checkpointWal(database: BetterSqlite3.Database, path: string): number {
  if (walBytes(path) === 0) return 0;
  try {
    const [result] = database.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    return result?.log ?? 0;
  } catch {
    return 0; // the next tick tries again
  }
}

/** Size of `path`'s log file (0 when there is none). */
function walBytes(path: string): number {
  return statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}
