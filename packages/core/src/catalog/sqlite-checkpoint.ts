/**
 * WAL checkpoints of the SQLite catalog, moved out of commits and off the event loop.
 *
 * How this works: SQLite copies the write-ahead log back into the database file (a
 * checkpoint, two `fsync`s) in whichever connection commits when the log passes
 * `wal_autocheckpoint` pages, 1,000 by default. better-sqlite3 is synchronous, so that
 * commit holds the event loop for the checkpoint (3–55 ms), and under a steady write load it
 * comes often. Here one background thread per process (`checkpointer.ts`) keeps a second
 * connection to each catalog file and checkpoints it (PASSIVE: never waits, never blocks a
 * writer, never restarts the log under a transaction of the catalog's connection) every
 * `intervalMs`; copying pages and the `fsync`s happen on that thread while the event loop goes
 * on committing. The catalog's own connection restarts the log once it has been copied back,
 * and truncates a log file grown past `maxWalBytes` (a burst, or another process's reader
 * holding old pages) back to that size when it does (`journal_size_limit`). SQLite's own
 * automatic checkpoint stays on at that threshold, so the log stays bounded even if the thread
 * cannot run. Stopping closes the thread's connection first, so closing the catalog's
 * connection, the last one, still checkpoints and removes the log. Durability is unchanged: a
 * commit is durable once it is in the log, whenever the log is copied back.
 *
 * Where no thread can be started, the same checkpoint runs on an unref'd timer of the event
 * loop, between queries.
 *
 * @module
 */
import { statSync } from 'node:fs';
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
}

/** A running checkpoint schedule. */
export interface WalCheckpoints {
  /** Runs one checkpoint now, on this thread and this connection. */
  checkpoint(): void;
  /**
   * Stops the schedule and closes its connection (waits for a checkpoint in progress);
   * call before closing the database.
   */
  stop(): void;
}

/** The log size past which a checkpoint also truncates the log file. */
const DEFAULT_MAX_WAL_BYTES = 64 * 1024 * 1024;

/**
 * Raises `wal_autocheckpoint` on `database` and checkpoints from a background thread instead
 * (see the module comment). The database must be in WAL mode and writable.
 */
export function scheduleWalCheckpoints(
  database: BetterSqlite3.Database,
  options: WalCheckpointOptions,
): WalCheckpoints {
  const maxWalBytes = options.maxWalBytes ?? DEFAULT_MAX_WAL_BYTES;
  const intervalMs = options.intervalMs ?? 1000;
  const pageSize = database.pragma('page_size', { simple: true }) as number;
  database.pragma(`wal_autocheckpoint = ${Math.max(1000, Math.floor(maxWalBytes / pageSize))}`);
  database.pragma(`journal_size_limit = ${maxWalBytes}`);

  const checkpoint = () => {
    // A Kysely transaction may be open across an await: a checkpoint inside it would fail.
    if (!database.open || database.inTransaction) return;
    checkpointWal(database, options.path);
  };
  const watched = watchCatalogFile({ path: options.path, intervalMs });
  if (watched) return { checkpoint, stop: watched.stop };

  const timer = setInterval(checkpoint, intervalMs);
  timer.unref();
  return { checkpoint, stop: () => clearInterval(timer) };
}

/**
 * One PASSIVE checkpoint of `path`'s log on `database`, when the log holds anything. Errors
 * are swallowed: another connection checkpoints, or the disk is failing and the next commit
 * reports it. The background thread runs the same steps (`checkpointer.ts`).
 */
export function checkpointWal(database: BetterSqlite3.Database, path: string) {
  if ((statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) === 0) return;
  try {
    database.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // the next tick tries again
  }
}
