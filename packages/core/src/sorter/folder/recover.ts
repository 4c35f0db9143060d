import { lstat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { journalFolder, openJournal, type PlannedEntry, readJournal, unfinishedRuns } from './journal.js';
import { type MoveOps, moveNoClobber, NODE_MOVE_OPS, tempNameFor } from './move.js';
import { hashFile } from './read-file-subject.js';
import { runState } from './run-state.js';

/** Options for {@link recoverRun}. */
export interface RecoverRunOptions {
  ops?: MoveOps;
  now?: () => number;
}

/** What recovery did with the files a dead run had announced but not confirmed. */
export interface RecoveryReport {
  runId: string;
  /** The move had happened (or was finished now): journaled as moved. */
  finished: string[];
  /** The file was still at its old place: journaled as not moved. */
  leftInPlace: string[];
  /** Neither place holds the file as journaled. */
  missing: string[];
}

const statOrNull = (path: string) => lstat(path).catch(() => null);

/**
 * True when `to` holds a complete copy of the file the entry planned to move: same size and
 * time, and the same bytes — the journaled hash, or else those of the file still at `from`
 * (a file in the way can have the same size and time: unpacked from one archive, say).
 */
async function holdsTheFile(entry: PlannedEntry, from: string, to: string): Promise<boolean> {
  const s = await statOrNull(to);
  if (!s?.isFile() || s.size !== entry.size || Math.trunc(s.mtimeMs) !== entry.mtimeMs) return false;
  const [copy, original] = await Promise.all([hashFile(to), entry.sha256 ?? hashFile(from)]);
  return copy === original;
}

/**
 * Settles a run that died between announcing moves (`planned`) and confirming them
 * (`moved`), by looking where each such file is:
 * - only at its new place: the move happened → `moved`;
 * - at both places as one file (hard link made, old name not yet removed), or a complete
 *   copy at the new place (same size, modification time and bytes) once any file it displaces
 *   is aside: the move is finished by removing the old name → `moved`;
 * - only at its old place (or the new place holds something else): it never moved; a file
 *   it displaced is put back and a temporary copy removed → `abandoned` (left in place);
 * - at neither: reported missing (`failed`).
 *
 * Then the run is closed with an `end` entry marked `recovered`. Recovering a finished run
 * changes nothing.
 */
export async function recoverRun(
  journalPath: string,
  options: RecoverRunOptions = {},
): Promise<RecoveryReport> {
  const journal = await readJournal(journalPath);
  const report: RecoveryReport = { runId: journal.runId, finished: [], leftInPlace: [], missing: [] };
  // Finished, or killed before its first entry reached the disk (nothing moved).
  if (journal.entries.length === 0 || journal.entries.some((e) => e.type === 'end')) return report;
  const ops = options.ops ?? NODE_MOVE_OPS;
  const folder = journalFolder(journalPath, journal.dir);
  const abs = (relative: string) => join(folder, ...relative.split('/'));
  const writer = await openJournal(dirname(journalPath), journal.runId);
  try {
    let moved = 0;
    let failed = 0;
    for (const { planned, status } of runState(journal.entries)) {
      if (status === 'moved') moved++;
      if (status === 'failed') failed++;
      if (status !== 'pending') continue;
      const from = abs(planned.from);
      const to = abs(planned.to);
      const [source, target] = await Promise.all([statOrNull(from), statOrNull(to)]);
      // A move that displaces a file moves that one aside first: until it is there, whatever
      // is at `to` is still the file in the way, never a copy of this one.
      const inTheWay = planned.displaced !== undefined && !(await statOrNull(abs(planned.displaced.to)));
      if (source && target && source.ino === target.ino && source.dev === target.dev) {
        await unlink(from);
      } else if (source && (inTheWay || !(await holdsTheFile(planned, from, to)))) {
        await unlink(tempNameFor(to, journal.runId)).catch(() => {});
        const d = planned.displaced;
        if (d) {
          const [kept, aside] = await Promise.all([statOrNull(abs(d.path)), statOrNull(abs(d.to))]);
          if (!kept && aside) await moveNoClobber(abs(d.to), abs(d.path), journal.runId, ops);
          // Killed while setting it aside (linked, old name not yet removed): one name again.
          else if (kept && aside && kept.ino === aside.ino && kept.dev === aside.dev) await unlink(abs(d.to));
        }
        writer.add({ type: 'abandoned', seq: planned.seq });
        report.leftInPlace.push(planned.from);
        continue;
      } else if (source) {
        await unlink(from); // a complete copy is at the new place
      } else if (!target) {
        writer.add({
          type: 'failed',
          seq: planned.seq,
          error: 'file found at neither place during recovery',
        });
        report.missing.push(planned.from);
        failed++;
        continue;
      }
      writer.add({ type: 'moved', seq: planned.seq, via: 'recovered' });
      report.finished.push(planned.from);
      moved++;
    }
    writer.add({
      type: 'end',
      finishedAt: new Date((options.now ?? Date.now)()).toISOString(),
      moved,
      failed,
      recovered: true,
    });
    await writer.flush();
  } finally {
    await writer.close();
  }
  return report;
}

/**
 * Recovers every run in `journalDir` that never finished (see {@link recoverRun}). Call it
 * before scanning a folder: a run killed mid-move can leave a file under two names, which a
 * scan would otherwise see as two files. `applyFolderPlan` calls it too.
 *
 * @returns the recovered runs' reports
 */
export async function recoverUnfinishedRuns(
  journalDir: string,
  options: RecoverRunOptions = {},
): Promise<Array<RecoveryReport & { journal: string }>> {
  const out: Array<RecoveryReport & { journal: string }> = [];
  for (const journal of await unfinishedRuns(journalDir)) {
    out.push({ ...(await recoverRun(journal, options)), journal });
  }
  return out;
}
