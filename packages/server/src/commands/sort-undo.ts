import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { defaultJournalDir, defaultRunIndexDir, isId, lookUpRun, undoSortRun } from '@fileforge/core';
import { createProgressBar } from './progress-bar.js';
import { lockSortedFolder } from './sort-lock.js';
import { writeLine } from './terminal-text.js';

/**
 * Finds a run's journal: in `DIR/.fileforge/runs` when a folder is given, else through the
 * per-user run index, else in the working directory's `.fileforge/runs`.
 */
async function findJournal(runId: string, dir: string | undefined): Promise<string | null> {
  const exists = async (path: string) => ((await stat(path).catch(() => null))?.isFile() ? path : null);
  if (dir !== undefined) return exists(join(defaultJournalDir(resolve(dir)), `${runId}.jsonl`));
  const indexed = await lookUpRun(defaultRunIndexDir(), runId);
  if (indexed && (await exists(indexed.journal))) return indexed.journal;
  return exists(join(defaultJournalDir(process.cwd()), `${runId}.jsonl`));
}

/** `fileforge sort --undo RUN [DIR]`: exit 0 when everything is back, 1 when it stopped. */
export async function runSortUndo(
  runId: string,
  dir: string | undefined,
  json: boolean,
  usageError: (message: string) => number,
): Promise<number> {
  if (!isId(runId))
    return usageError(`"${runId}" is not a run id (26 letters and digits, printed by the run)`);
  const journal = await findJournal(runId, dir);
  if (!journal) {
    return usageError(
      `no journal for run ${runId}${dir ? ` in ${join(defaultJournalDir(resolve(dir)))}` : ' (give the sorted folder: fileforge sort --undo RUN DIR)'}`,
    );
  }
  const tty = !json && process.stderr.isTTY === true;
  let bar: ReturnType<typeof createProgressBar> | undefined;
  // The journal is DIR/.fileforge/runs/RUN.jsonl: the folder is held as a sort holds it.
  const unlock = await lockSortedFolder(dirname(dirname(journal)));
  let report: Awaited<ReturnType<typeof undoSortRun>>;
  try {
    report = await undoSortRun(journal, {
      onProgress: (done, total) => {
        if (!tty) return;
        bar ??= createProgressBar(process.stderr, total, 'files put back');
        bar.update(done);
      },
    });
  } finally {
    await unlock();
  }
  bar?.done();
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(
      `run ${report.runId}: ${report.restored} file(s) put back` +
        (report.alreadyUndone > 0 ? `, ${report.alreadyUndone} already put back by an earlier undo` : '') +
        '\n',
    );
    if (report.stopped) {
      writeLine(process.stderr, `stopped at ${report.stopped.path}: ${report.stopped.reason}`);
      process.stderr.write(
        'the files not yet put back were left as they are; fix this one and run the undo again to continue\n',
      );
    }
  }
  return report.stopped ? 1 : 0;
}
