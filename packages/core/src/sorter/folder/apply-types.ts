/**
 * What `applyFolderPlan` takes and answers: its options, each file's outcome and the
 * run's report.
 *
 * @module
 */
import type { MoveOps } from './move.js';

/** Options for `applyFolderPlan`. */
export interface ApplyFolderPlanOptions {
  /** @default the plan's `runId`, else a new time-ordered id */
  runId?: string;
  /** Where the run's journal is written. @default `<dir>/.fileforge/runs` */
  journalDir?: string;
  /**
   * The per-user run index (see `defaultRunIndexDir`); `null` records nothing there.
   * @default `$XDG_STATE_HOME/fileforge/sort-runs`
   */
  indexDir?: string | null;
  /**
   * Files whose `planned` entries are fsynced together before any of them moves (the next
   * batch's while this one moves). Their `moved` entries ride on a later batch's fsync (and
   * the last on the `end` entry's): one fsync per batch instead of two per file. A larger
   * batch means fewer fsyncs and more files for recovery to look at after a crash; recovery
   * is correct whatever the size.
   * @default 4096
   */
  batchSize?: number;
  /**
   * Moves in flight at once within a batch (files whose move first displaces another file run
   * alone).
   * @default 8
   */
  concurrency?: number;
  /**
   * Filesystem calls (tests inject `EXDEV` here). Without it, a move is made with synchronous
   * `link`/`unlink` calls while they stay fast (see `sync-gate.ts`), else with these.
   * @default the real filesystem
   */
  ops?: MoveOps;
  now?: () => number;
  /** Called after each file is handled. */
  onProgress?: (done: number, total: number, item: AppliedItem) => void;
  /**
   * Stops the run: the moves under way finish, no other starts, and the call rejects with the
   * signal's reason, the journal left without its `end` (the next sort or undo settles it).
   */
  signal?: AbortSignal;
}

/** What became of one file. */
export interface AppliedItem {
  from: string;
  /** Where it is now (a trash path for a deduplicated file). */
  to: string | null;
  ruleId: string | null;
  status: 'moved' | 'skipped' | 'failed';
  reason: string;
  displaced?: { path: string; to: string };
}

/** The outcome of an applied run. */
export interface SortRunReport {
  runId: string;
  dir: string;
  journal: string;
  /** Whether the per-user index knows the run (`fileforge sort --undo <run>` from anywhere). */
  indexed: boolean;
  moved: number;
  skipped: number;
  failed: number;
  items: AppliedItem[];
  /** Journals of earlier runs that had died mid-run and were recovered first. */
  recovered: string[];
}
