/**
 * The background thread that checkpoints the heavily written SQLite catalogs of this process
 * (see `sqlite-checkpoint.ts` for why and when).
 *
 * How this works: the first catalog handed over starts one `worker_threads` worker, unref'd so
 * that it never keeps a process alive, and kept for the life of the process (a thread start
 * costs tens of milliseconds). Each catalog file gets its own connection and interval on that
 * thread. Stopping a file's schedule is synchronous (the SQLite dialect closes
 * synchronously): the event loop waits, with
 * `Atomics.wait` and a bound, until the thread has closed that connection, so that the
 * catalog's own connection is the last and its close removes the log. The thread only runs
 * PASSIVE checkpoints: they never wait for a lock, so that wait is at most one checkpoint in
 * progress, and they never restart the log, which from a second connection would fail the
 * catalog's open transactions that read before it (`SQLITE_BUSY_SNAPSHOT`). If the thread
 * cannot start, the caller keeps its checkpoints; if it dies, each of its files' `onLost` is
 * called and the caller takes its checkpoints back.
 *
 * The thread's code is plain CommonJS evaluated by the worker (no separate file to find in
 * both the sources and the bundle); it runs the same steps as `checkpointWal`.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A file to checkpoint from the background thread. */
export interface WatchedCatalogFile {
  path: string;
  intervalMs: number;
}

/** How long stopping waits for the thread to close its connection. */
const STOP_WAIT_MS = 10_000;

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const files = new Map();

function checkpoint(file) {
  if ((statSync(file.path + '-wal', { throwIfNoEntry: false })?.size ?? 0) === 0) return;
  try {
    file.db ??= new Database(file.path, { fileMustExist: true, timeout: 0 });
    file.db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // another connection checkpoints, the file is gone, or the disk is failing: next tick
  }
}

function stop(id) {
  const file = files.get(id);
  if (!file) return;
  files.delete(id);
  clearInterval(file.timer);
  try {
    file.db?.close();
  } catch {}
}

parentPort.on('message', (message) => {
  if (message.op === 'watch') {
    const file = { path: message.path, db: undefined };
    file.timer = setInterval(() => checkpoint(file), message.intervalMs);
    files.set(message.id, file);
  } else if (message.op === 'stop') {
    stop(message.id);
    Atomics.store(message.done, 0, 1);
    Atomics.notify(message.done, 0);
  }
});
`;

let thread: Worker | undefined;
let failed = false;
let nextId = 1;
/** What to tell each watched file's owner when the thread is lost. */
const lostHandlers = new Map<number, () => void>();

function startThread(): Worker | undefined {
  if (thread || failed) return thread;
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { driver },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    worker.unref();
    // A thread that dies takes its connections with it: their owners take the checkpoints
    // back, and a later hand-over starts a new thread.
    const forget = () => {
      if (thread !== worker) return;
      thread = undefined;
      const handlers = [...lostHandlers.values()];
      lostHandlers.clear();
      for (const onLost of handlers) onLost();
    };
    worker.on('error', forget);
    worker.on('exit', forget);
    thread = worker;
  } catch {
    failed = true;
  }
  return thread;
}

/**
 * Checkpoints `file` from the background thread until `stop()`; `undefined` when no thread
 * can run (the caller checkpoints on the event loop instead). `onLost` is called if the thread
 * dies first.
 */
export function watchCatalogFile(file: WatchedCatalogFile, onLost: () => void): { stop(): void } | undefined {
  const worker = startThread();
  if (!worker) return undefined;
  const id = nextId++;
  lostHandlers.set(id, onLost);
  worker.postMessage({ op: 'watch', id, ...file });
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      lostHandlers.delete(id);
      if (thread !== worker) return; // it died: its connection is closed
      const done = new Int32Array(new SharedArrayBuffer(4));
      worker.postMessage({ op: 'stop', id, done });
      Atomics.wait(done, 0, 0, STOP_WAIT_MS);
    },
  };
}

/** Ends the background thread, as a crash would (tests of the fallback). */
export async function endCheckpointThreadForTests(): Promise<void> {
  await thread?.terminate();
}
