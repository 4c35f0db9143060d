/**
 * WAL checkpoints of the SQLite catalog, moved out of commits.
 *
 * How this works: SQLite copies the write-ahead log back into the database file (a
 * checkpoint, two `fsync`s) in whichever connection commits when the log passes
 * `wal_autocheckpoint` pages, 1,000 by default. better-sqlite3 is synchronous, so that
 * commit holds the event loop for the checkpoint (3–55 ms on a shared VM), and under a steady
 * write load it comes often: every ~28 runs in `npm run bench -- workflows`, about 36 times
 * for 1,000 runs. Here a timer checkpoints (PASSIVE: never waits, never blocks a writer) every
 * `intervalMs` instead, so a burst of commits shares one checkpoint; it still runs on the
 * event loop, but between queries and once a second rather than every few dozen commits.
 * SQLite's own automatic checkpoint stays on at a higher threshold (`maxWalBytes`), so the log
 * stays bounded even when the timer cannot run (a long synchronous loop). When the log file has
 * grown past `maxWalBytes` (a burst, or another process's reader holding old pages), a TRUNCATE
 * checkpoint, tried without waiting, empties it. Closing the last connection checkpoints and
 * removes the log, as before. Durability is unchanged: a commit is durable once it is in the
 * log, whenever the log is copied back.
 *
 * @module
 */
import { statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';

/** Options for {@link scheduleWalCheckpoints}. */
export interface WalCheckpointOptions {
  /** Path of the database file; its log is `<path>-wal`. */
  path: string;
  /** Time between checkpoints. @default 1000 */
  intervalMs?: number;
  /**
   * Log size at which SQLite checkpoints in the committing connection, and at which the
   * timer truncates the log file. More lets more commits share a checkpoint, at the cost of
   * disk space and a longer recovery read after a crash. @default 64 MiB
   */
  maxWalBytes?: number;
}

/** A running checkpoint schedule. */
export interface WalCheckpoints {
  /** Runs one checkpoint now (what the timer does). */
  checkpoint(): void;
  /** Stops the timer; call before closing the database. */
  stop(): void;
}

/**
 * Raises `wal_autocheckpoint` on `database` and checkpoints on an unref'd timer instead
 * (see the module comment). The database must be in WAL mode and writable.
 */
export function scheduleWalCheckpoints(
  database: BetterSqlite3.Database,
  options: WalCheckpointOptions,
): WalCheckpoints {
  const maxWalBytes = options.maxWalBytes ?? 64 * 1024 * 1024;
  const pageSize = database.pragma('page_size', { simple: true }) as number;
  database.pragma(`wal_autocheckpoint = ${Math.max(1000, Math.floor(maxWalBytes / pageSize))}`);
  const walPath = `${options.path}-wal`;

  const checkpoint = () => {
    // A Kysely transaction may be open across an await: a checkpoint inside it would fail.
    if (!database.open || database.inTransaction) return;
    const size = statSync(walPath, { throwIfNoEntry: false })?.size ?? 0;
    if (size === 0) return;
    try {
      if (size <= maxWalBytes) {
        database.pragma('wal_checkpoint(PASSIVE)');
        return;
      }
      // TRUNCATE waits for other processes' readers and writers through the busy handler;
      // on the event loop it must not, so it is tried without one and again next tick.
      const busyTimeout = database.pragma('busy_timeout', { simple: true }) as number;
      database.pragma('busy_timeout = 0');
      try {
        database.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        database.pragma(`busy_timeout = ${busyTimeout}`);
      }
    } catch {
      // Another connection checkpoints or the disk is failing: the next tick tries again,
      // and the commit that needs the database reports a real problem.
    }
  };
  const timer = setInterval(checkpoint, options.intervalMs ?? 1000);
  timer.unref();
  return {
    checkpoint,
    stop: () => clearInterval(timer),
  };
}
