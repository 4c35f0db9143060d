import { lstat, mkdir, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { journalFolder, openJournal, type PlannedEntry, readJournal } from './journal.js';
import { assertInside, type MoveOps, moveNoClobber, NODE_MOVE_OPS } from './move.js';
import { hashFile } from './read-file-subject.js';
import { recoverRun } from './recover.js';
import { createdDirs, runState } from './run-state.js';

/** Options for {@link undoSortRun}. */
export interface UndoSortRunOptions {
  ops?: MoveOps;
  /** Restored files whose `undone` entries are fsynced together. @default 256 */
  batchSize?: number;
  /** Called after each file is put back. */
  onProgress?: (done: number, total: number, path: string) => void;
  signal?: AbortSignal;
}

/** What an undo did. */
export interface UndoReport {
  runId: string;
  dir: string;
  /** Files put back by this undo. */
  restored: number;
  /** Files an earlier undo had already put back. */
  alreadyUndone: number;
  /** Set when the undo stopped at a file it could not put back safely; files before it in undo order were restored, it and the rest were left as they are. */
  stopped?: { path: string; reason: string };
}

const statOrNull = (path: string) => lstat(path).catch(() => null);

/** Why `path` no longer holds what the journal says was put there, or `null` when it does. */
async function changedSince(path: string, expected: { size: number; mtimeMs: number; sha256?: string }) {
  const s = await statOrNull(path);
  if (!s) return 'it is missing (moved or deleted since the run)';
  if (!s.isFile()) return 'it is no longer a file';
  if (s.size !== expected.size) return `it changed since the run (size ${expected.size} → ${s.size})`;
  if (Math.trunc(s.mtimeMs) !== expected.mtimeMs)
    return 'it changed since the run (modification time differs)';
  if (expected.sha256 && (await hashFile(path)) !== expected.sha256)
    return 'it changed since the run (content differs)';
  return null;
}

/**
 * Moves a run's files back where they were, newest move first, and puts back the files they
 * had displaced (renamed away or sent to the trash). Before each file it checks that the file
 * is still the one the run moved (size and modification time, and SHA-256 when the run had
 * it) and that its old place is free; at the first file that fails a check it stops, reports
 * it and leaves that file and every file not yet undone as they are. Each restored file is
 * journaled (`undone`), so undoing again, after fixing what stopped it or after a crash,
 * continues where it stopped; undoing a fully undone run changes nothing. Folders the run
 * created are removed when they end up empty. A run that died mid-way is recovered first.
 *
 * @example
 * ```ts
 * const report = await undoSortRun('/home/me/Downloads/.fileforge/runs/01j….jsonl');
 * if (report.stopped) console.error(report.stopped.path, report.stopped.reason);
 * ```
 */
export async function undoSortRun(
  journalPath: string,
  options: UndoSortRunOptions = {},
): Promise<UndoReport> {
  const ops = options.ops ?? NODE_MOVE_OPS;
  await recoverRun(journalPath, { ops });
  const journal = await readJournal(journalPath);
  // Killed before its first entry reached the disk: it moved nothing, there is nothing to undo.
  if (journal.entries.length === 0)
    return { runId: journal.runId, dir: journal.dir, restored: 0, alreadyUndone: 0 };
  const folder = journalFolder(journalPath, journal.dir);
  const abs = (relative: string) => join(folder, ...relative.split('/'));
  const states = runState(journal.entries);
  const report: UndoReport = { runId: journal.runId, dir: folder, restored: 0, alreadyUndone: 0 };
  report.alreadyUndone = states.filter((s) => s.status === 'undone').length;
  const todo = states.filter((s) => s.status === 'moved').reverse();
  const writer = await openJournal(dirname(journalPath), journal.runId);
  const batchSize = Math.max(1, options.batchSize ?? 256);
  const realFolders = new Set<string>();
  const stop = (entry: PlannedEntry, path: string, reason: string) => {
    report.stopped = { path, reason: `${reason}; ${entry.from} was not put back` };
  };
  try {
    for (const { planned: entry } of todo) {
      options.signal?.throwIfAborted();
      const from = abs(entry.from);
      const to = abs(entry.to);
      // Already back (an undo that died before journaling it, or the user put it back, changed
      // or not, as told when an undo stopped at it): only the journal is behind.
      const back = !(await statOrNull(to)) && (await statOrNull(from)) !== null;
      if (!back) {
        const changed = await changedSince(to, entry);
        if (changed) {
          stop(entry, entry.to, `${entry.to}: ${changed}`);
          break;
        }
        if (await statOrNull(from)) {
          stop(entry, entry.to, `${entry.from} is taken by another file`);
          break;
        }
        const outside = await assertInside(folder, entry.from, realFolders).then(
          () => null,
          (error: Error) => error.message,
        );
        if (outside) {
          stop(entry, entry.to, outside);
          break;
        }
        await mkdir(dirname(from), { recursive: true });
        if ((await moveNoClobber(to, from, journal.runId, ops)) === 'exists') {
          stop(entry, entry.to, `${entry.from} is taken by another file`);
          break;
        }
      }
      const d = entry.displaced;
      if (d && !(await statOrNull(abs(d.path)))) {
        const changed = await changedSince(abs(d.to), d);
        if (!changed) await moveNoClobber(abs(d.to), abs(d.path), journal.runId, ops);
        else if ((await statOrNull(abs(d.to))) !== null) {
          writer.add({ type: 'undone', seq: entry.seq });
          report.restored++;
          report.stopped = { path: d.to, reason: `${d.to}: ${changed}; it was not put back at ${d.path}` };
          break;
        }
      }
      writer.add({ type: 'undone', seq: entry.seq });
      report.restored++;
      options.onProgress?.(report.restored, todo.length, entry.from);
      if (report.restored % batchSize === 0) await writer.flush();
    }
    await writer.flush();
  } finally {
    await writer.close();
  }
  if (!report.stopped) {
    for (const dir of createdDirs(journal.entries).reverse()) await rmdir(abs(dir)).catch(() => {});
  }
  return report;
}
