import { existsSync } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { crashPoint } from '../../forge/crash-point.js';
import { createId } from '../../ids/id.js';
import { resolveConflict } from '../conflict.js';
import { inPool } from '../pool.js';
import { createSyncGate } from '../sync-gate.js';
import type { AppliedItem, ApplyFolderPlanOptions, SortRunReport } from './apply-types.js';
import { type FolderPlanItem, MOVING_ACTIONS } from './folder-plan-item.js';
import {
  assertStateFolder,
  defaultJournalDir,
  defaultRunIndexDir,
  indexRun,
  openJournal,
  type PlannedEntry,
  trashPath,
} from './journal.js';
import { assertInside, exists, moveNoClobber, moveNoClobberSync, NODE_MOVE_OPS } from './move.js';
import { hashFile } from './read-file-subject.js';
import { recoverUnfinishedRuns } from './recover.js';

const ignoreExists = (error: NodeJS.ErrnoException) => {
  if (error?.code !== 'EEXIST') throw error;
};

interface Job {
  seq: number;
  item: FolderPlanItem;
  entry: PlannedEntry;
}

/**
 * Applies a folder sort plan: every file that moves is journaled (`planned`, fsynced) before
 * it moves and again after (`moved`), in batches, under `<dir>/.fileforge/runs/<runId>.jsonl`.
 * Nothing is ever replaced silently: a destination that appeared since the plan is resolved
 * again with the rule's conflict mode; a file replaced by `overwrite` or `trash`, and a
 * duplicate removed by `deduplicate`, goes to `<dir>/.fileforge/trash/<runId>/…`, so
 * {@link undoSortRun} can restore it. Runs of the same journal folder that died mid-run are
 * recovered first (see {@link recoverRun}).
 *
 * @example
 * ```ts
 * const files = await scanFolder(dir);
 * const plan = await planFolder(dir, files, parseRules(yaml));
 * const report = await applyFolderPlan(plan);
 * ```
 */
export async function applyFolderPlan(
  plan: { dir: string; runId?: string; items: readonly FolderPlanItem[] },
  options: ApplyFolderPlanOptions = {},
): Promise<SortRunReport> {
  const { dir } = plan;
  const now = options.now ?? Date.now;
  const ops = options.ops ?? NODE_MOVE_OPS;
  const gate = createSyncGate({ closed: ops !== NODE_MOVE_OPS });
  const runId = options.runId ?? plan.runId ?? createId(now());
  if (options.journalDir === undefined) await assertStateFolder(dir);
  const journalDir = options.journalDir ?? defaultJournalDir(dir);
  const recovered = (await recoverUnfinishedRuns(journalDir, { ops })).map((r) => r.journal);
  const abs = (relative: string) => join(dir, ...relative.split('/'));
  const report: SortRunReport = {
    runId,
    dir,
    journal: '',
    indexed: false,
    moved: 0,
    skipped: 0,
    failed: 0,
    items: [],
    recovered,
  };
  const moving = plan.items.filter((i) => MOVING_ACTIONS.has(i.action) && i.from !== null && i.to !== null);
  const total = plan.items.length;
  const done = (item: AppliedItem) => {
    report.items.push(item);
    report[item.status]++;
    options.onProgress?.(report.items.length, total, item);
  };
  const movingSet = new Set(moving);
  for (const item of plan.items) {
    if (!movingSet.has(item)) {
      done({ from: item.id, to: item.to, ruleId: item.ruleId, status: 'skipped', reason: item.reason });
    }
  }
  const journal = await openJournal(journalDir, runId);
  try {
    report.journal = journal.path;
    journal.add({
      type: 'run',
      version: 1,
      runId,
      dir,
      startedAt: new Date(now()).toISOString(),
      items: moving.length,
    });
    // The header is fsynced with the first batch's planned entries (a crash before leaves a
    // journal without a complete first line, which recovery skips: nothing had moved).
    if (moving.length === 0) await journal.flush();
    report.indexed =
      options.indexDir === null
        ? false
        : await indexRun(options.indexDir ?? defaultRunIndexDir(), runId, dir, journal.path);

    const knownDirs = new Set<string>(['.']);
    /** Journals (as `mkdir`) and lists the folders missing above `relative`, outermost first. */
    const missingDirs = async (relative: string, out: string[]) => {
      const chain: string[] = [];
      for (let d = posix.dirname(relative); !knownDirs.has(d); d = posix.dirname(d)) chain.unshift(d);
      for (const d of chain) {
        if (!out.includes(d) && !(await exists(abs(d)))) {
          journal.add({ type: 'mkdir', path: d });
          out.push(d);
        }
        knownDirs.add(d);
      }
    };
    const claimed = new Set<string>();
    const isTaken = (p: string) => claimed.has(p) || existsSync(abs(p));

    const plannedEntry = async (
      seq: number,
      item: FolderPlanItem,
      to: string,
      displaced?: { path: string; to: string },
    ) => {
      const subject = item.decision.subject;
      const entry: PlannedEntry = {
        type: 'planned',
        seq,
        from: item.from as string,
        to,
        action: item.action,
        ruleId: item.ruleId,
        size: subject.size,
        mtimeMs: Math.trunc(Date.parse(subject.createdAt)),
        ...(subject.sha256 ? { sha256: subject.sha256 } : {}),
      };
      if (displaced) {
        const s = await lstat(abs(displaced.path)).catch(() => null);
        if (s) entry.displaced = { ...displaced, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) };
      }
      claimed.add(to);
      if (entry.displaced) claimed.add(entry.displaced.to);
      return entry;
    };

    /** Where an item goes in this run: trash paths for the folder sorter's own trash. */
    const target = (item: FolderPlanItem): { to: string; displaced?: { path: string; to: string } } => {
      const from = item.from as string;
      const to = item.to as string;
      if (item.action === 'deduplicate') return { to: trashPath(runId, from) };
      if (item.action === 'overwrite' || item.action === 'trash')
        return { to, displaced: { path: to, to: trashPath(runId, to) } };
      return item.displaced ? { to, displaced: item.displaced } : { to };
    };

    const realFolders = new Set<string>();
    /** Makes the run's new folders, never through a symbolic link (the files bound there then fail). */
    const makeDirs = async (dirs: readonly string[]) => {
      for (const d of dirs) {
        const inside = await assertInside(dir, `${d}/-`, realFolders).then(
          () => true,
          () => false,
        );
        if (inside) await mkdir(abs(d)).catch(ignoreExists);
      }
    };
    const run = async (job: Job, attempt = 0): Promise<void> => {
      const { seq, item, entry } = job;
      /** The file that was at the destination, once set aside for this move. */
      let setAside: { path: string; to: string } | undefined;
      try {
        await assertInside(dir, entry.to, realFolders);
        if (entry.displaced) {
          const d = entry.displaced;
          await assertInside(dir, d.to, realFolders);
          const shifted = await moveNoClobber(abs(d.path), abs(d.to), runId, ops).catch(
            (error: NodeJS.ErrnoException) => {
              if (error?.code === 'ENOENT') return 'gone' as const;
              throw error;
            },
          );
          if (shifted === 'exists')
            throw new Error(`${d.to} appeared meanwhile; ${d.path} was left in place`);
          if (shifted !== 'gone') setAside = d;
        }
        await gate.pause();
        const via =
          (gate.open ? moveNoClobberSync(abs(entry.from), abs(entry.to), gate) : null) ??
          (await moveNoClobber(abs(entry.from), abs(entry.to), runId, ops));
        if (via === 'exists') {
          if (attempt >= 5) throw new Error(`${entry.to} keeps being taken by another program`);
          await again(job, attempt + 1);
          return;
        }
        crashPoint('sort-after-move', String(seq));
        journal.add({ type: 'moved', seq, via });
        done({
          from: entry.from,
          to: entry.to,
          ruleId: item.ruleId,
          status: 'moved',
          reason: item.reason,
          ...(entry.displaced ? { displaced: { path: entry.displaced.path, to: entry.displaced.to } } : {}),
        });
      } catch (error) {
        let message = (error as Error)?.message ?? String(error);
        // The move failed after the file at its destination was set aside: put that file back,
        // or it would stay in the trash with nothing in the journal to undo it by.
        if (setAside) {
          const { path, to } = setAside;
          const back = await moveNoClobber(abs(to), abs(path), runId, ops).catch(() => 'exists' as const);
          if (back === 'exists') message += `; ${path} could not be put back and is at ${to}`;
        }
        journal.add({ type: 'failed', seq, error: message });
        done({ from: entry.from, to: null, ruleId: item.ruleId, status: 'failed', reason: message });
      }
    };

    /** The destination was taken at move time: resolve the conflict again, journal, retry. */
    const again = async (job: Job, attempt: number) => {
      const { item, entry } = job;
      const subject = item.decision.subject;
      const mode = item.decision.onConflict;
      const sha256 = mode === 'deduplicate' ? await hashFile(abs(entry.to)).catch(() => '') : '';
      const subjectHash =
        mode === 'deduplicate' && !subject.sha256 ? await hashFile(abs(entry.from)) : subject.sha256;
      // What appeared there may be a folder or a link: never replaced, set aside or trashed.
      const there = await lstat(abs(entry.to)).catch(() => null);
      const notAFile = there !== null && !there.isFile();
      const resolution = resolveConflict(
        mode,
        entry.to,
        { ...subject, sha256: subjectHash },
        { path: entry.to, sha256, ...(notAFile ? { notAFile } : {}) },
        isTaken,
      );
      if (resolution.action === 'skip') {
        journal.add({ type: 'abandoned', seq: job.seq });
        done({
          from: entry.from,
          to: null,
          ruleId: item.ruleId,
          status: 'skipped',
          reason: `${resolution.reason} (at move time)`,
        });
        return;
      }
      const next = target({
        ...item,
        action: resolution.action,
        to: resolution.to,
        ...(resolution.displaced ? { displaced: resolution.displaced } : {}),
      });
      const dirs: string[] = [];
      await missingDirs(next.to, dirs);
      if (next.displaced) await missingDirs(next.displaced.to, dirs);
      const replanned = await plannedEntry(job.seq, item, next.to, next.displaced);
      journal.add(replanned);
      await journal.flush();
      await makeDirs(dirs);
      await run({ ...job, entry: replanned }, attempt);
    };

    const batchSize = Math.max(1, options.batchSize ?? 4096);
    const concurrency = Math.max(1, options.concurrency ?? 8);
    /** Journals (without flushing) the planned entries of the batch starting at `start`. */
    const prepare = async (start: number) => {
      const jobs: Job[] = [];
      const dirs: string[] = [];
      for (let i = start; i < Math.min(start + batchSize, moving.length); i++) {
        const item = moving[i]!;
        const { to, displaced } = target(item);
        await missingDirs(to, dirs);
        if (displaced) await missingDirs(displaced.to, dirs);
        const entry = await plannedEntry(i, item, to, displaced);
        journal.add(entry);
        jobs.push({ seq: i, item, entry });
      }
      return { jobs, dirs };
    };
    let next = moving.length > 0 ? await prepare(0) : null;
    let flushing = next ? journal.flush() : Promise.resolve();
    while (next) {
      // Rejections are taken below; this only keeps an abort in between from leaving one unhandled.
      flushing.catch(() => {});
      options.signal?.throwIfAborted();
      const { jobs, dirs } = next;
      await flushing;
      await makeDirs(dirs);
      // The next batch's planned entries are fsynced while this batch moves (its moves wait
      // for that fsync); this batch's `moved` entries ride on the fsync after (or the `end`
      // entry's). Until then, recovery would find these files moved anyway.
      const after = jobs.length > 0 ? (jobs[jobs.length - 1]?.seq ?? 0) + 1 : moving.length;
      next = after < moving.length ? await prepare(after) : null;
      flushing = next ? journal.flush() : Promise.resolve();
      // Files that displace another run alone; the others run `concurrency` at a time.
      let group: Job[] = [];
      for (const job of [...jobs, null]) {
        if (job && !job.entry.displaced) {
          group.push(job);
          continue;
        }
        // Aborted (Ctrl-C): the moves not started stay `planned` and unmoved (recovery settles them).
        await inPool(group, concurrency, (j) => (options.signal?.aborted ? Promise.resolve() : run(j)));
        group = [];
        if (job && !options.signal?.aborted) await run(job);
      }
    }
    options.signal?.throwIfAborted();
    journal.add({
      type: 'end',
      finishedAt: new Date(now()).toISOString(),
      moved: report.moved,
      failed: report.failed,
    });
    await journal.flush();
  } finally {
    // Also when the run stops early (an abort, a failed fsync): the handle is not left open.
    await journal.close().catch(() => {});
  }
  return report;
}
