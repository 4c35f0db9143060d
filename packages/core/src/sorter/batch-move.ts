/**
 * A batch of journaled moves in the sorted tree, each phase of {@link executeMove} done once
 * for the whole batch: the journal rows are already `planned`; then every new entry is made
 * (a few at a time; each destination folder checked for symbolic links once per batch, not
 * once per entry) and each folder touched is fsynced once; then one transaction changes
 * every record's `path` with its `file.sorted` event; then every old entry is unlinked (each
 * folder fsynced once, emptied folders pruned); then one transaction marks the rows `moved`.
 *
 * The crash guarantees are those of one move, because every phase of the batch finishes
 * before the next starts: a row is `planned` until its move is complete, the catalog changes
 * only after the new entries are durable, and the old entries go only after the catalog
 * committed. Start-up recovery ({@link recoverMoves}) settles each row as it would a single
 * move: finished when the record has the new path, rolled back otherwise.
 *
 * The moves of a batch must be independent: distinct files, and no path that is one move's
 * source or destination is another's (the caller cuts batches there). A move whose
 * destination turns out taken (on disk, or by a record in the catalog) is left out of the
 * batch and handed back, its row still `planned`, for the caller to re-plan and run alone;
 * a catalog transaction that fails hands back every move of the batch the same way. With a
 * SQL catalog, before the links only each record's place and blob are read; the transaction
 * reads the batch's records and the destinations' holders, sets the paths and appends the
 * events, written from the rows it read (see `batch-catalog.ts`). The links are made with
 * synchronous calls
 * while those stay fast (see `sync-gate.ts`).
 *
 * @module
 */
import { dirname } from 'node:path';
import { templatesOf } from '../catalog/query-templates.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { isoNow } from '../forge/context.js';
import { crashPoint } from '../forge/crash-point.js';
import { commitMoves, placesOf } from './batch-catalog.js';
import {
  blobVanished,
  type EntryIdentity,
  fsyncDir,
  identityOf,
  placeEntry,
  pruneEmpty,
  removeEntry,
  removeOwnEntry,
} from './materialize.js';
import type { CausedBy } from './move.js';
import { inPool } from './pool.js';
import type { SorterRuntime } from './runtime.js';
import type { SortMoveRecord } from './store.js';
import { createSyncGate } from './sync-gate.js';

/** File-system operations in flight at once within a phase. */
const CONCURRENCY = 8;

/** Options for {@link executeBatch}. */
export interface ExecuteBatchOptions {
  /** Id of a move's `file.sorted` event (stable across retries of one logical move). */
  eventId(move: SortMoveRecord): string;
  causedBy?: CausedBy;
}

/** What {@link executeBatch} did. */
export interface BatchResult {
  moved: number;
  /** Moves whose destination was taken: nothing changed, rows still `planned`; run each alone. */
  conflicts: SortMoveRecord[];
  /** The first unexpected failure; its move's row is `undone` or (after the catalog) `planned`. */
  error?: unknown;
}

/** One move's progress through the batch. */
interface Step {
  move: SortMoveRecord;
  blob: string | null;
  target: string | null;
  linked: boolean;
  /** The entry this batch placed (taken right after placing it), to remove exactly that one. */
  placed?: EntryIdentity | null;
  outcome?: 'moved' | 'conflict' | 'changed' | 'failed';
}

const isPathConflict = (error: unknown) =>
  FileForgeError.is(error) &&
  error.code === ErrorCode.CONFLICT &&
  (error.details as { field?: string } | undefined)?.field === 'path';

const syncAll = (dirs: Set<string>) => inPool([...dirs], CONCURRENCY, (d) => fsyncDir(d));

/**
 * Runs a batch of independent moves whose rows are already written (`planned`), one phase at
 * a time for the whole batch. See the module comment for the order and the guarantees.
 */
export async function executeBatch(
  rt: SorterRuntime,
  moves: readonly SortMoveRecord[],
  options: ExecuteBatchOptions,
): Promise<BatchResult> {
  const { ctx, store } = rt;
  const result: BatchResult = { moved: 0, conflicts: [] };
  const first = moves[0];
  if (!first) return result;
  const { tenant, runId } = first;
  const root = rt.tenantRoot(tenant);
  // Compiled once per catalog, run inside this batch's transaction (see query-templates.ts).
  const catalogDb = ctx.catalog.db?.();
  const templates = catalogDb ? templatesOf(catalogDb) : undefined;
  const fail = (step: Step, error: unknown) => {
    step.outcome = 'failed';
    result.error ??= error;
  };
  crashPoint('after-journal');

  // The records: a file changed or gone since the plan is not moved.
  const steps: Step[] = [];
  const undone: number[] = [];
  const ids = moves.map((m) => m.fileId);
  const records = await placesOf(catalogDb, templates, ctx.catalog.files, tenant, ids);
  for (const move of moves) {
    const record = records.get(move.fileId);
    if (!record || record.path !== move.from) {
      undone.push(move.seq);
      continue;
    }
    const blob = rt.blobPath(record.blobKey);
    const target = move.to === null ? null : rt.entry(tenant, move.to);
    steps.push({ move, blob, target, linked: false });
  }

  // New entries, each folder checked (no link among them) once and fsynced once.
  const linkedDirs = new Set<string>();
  const checked = new Set<string>();
  const gate = createSyncGate();
  await inPool(steps, CONCURRENCY, async (step) => {
    if (!step.blob || !step.target || !root) return;
    try {
      await gate.pause();
      const how = await placeEntry(step.blob, step.target, root, { sync: false, checked, gate });
      step.linked = how !== 'present';
      if (step.linked) step.placed = await identityOf(step.target, gate);
      linkedDirs.add(dirname(step.target));
    } catch (error) {
      if (isPathConflict(error)) step.outcome = 'conflict';
      else if (await blobVanished(error, step.blob))
        step.outcome = 'changed'; // deleted meanwhile
      else fail(step, error);
    }
  });
  try {
    await syncAll(linkedDirs);
  } catch (error) {
    for (const step of steps) if (step.outcome === undefined) fail(step, error);
  }
  crashPoint('after-link');

  // Every record's path and its event, in one transaction.
  const ready = steps.filter((s) => s.outcome === undefined);
  let events = 0;
  try {
    events = await ctx.catalog.transaction((tx) =>
      commitMoves(ready, {
        tx,
        templates,
        tenant,
        runId,
        // Nobody in this process listens to `file.sorted` (no listener, no workflow triggered
        // by it) and nothing else delivers this outbox: stored delivered, so no pass reads it
        // back, hands it over and marks it (see OutboxDispatcher.unheard).
        unheard: () => ctx.dispatcher.unheard('file.sorted'),
        eventId: options.eventId,
        timestamp: () => isoNow(ctx),
        ...(options.causedBy ? { causedBy: options.causedBy } : {}),
      }),
    );
  } catch {
    // Nothing of the batch committed (a path taken meanwhile, or any other failure): every
    // move goes back to be run alone, re-planned as needed; a lasting failure shows there.
    for (const step of ready) step.outcome = 'conflict';
  }
  if (events > 0) crashPoint('after-outbox-commit', 'file.sorted');

  // Moves the catalog did not make: their new entries go.
  for (const step of steps) {
    if (step.outcome === 'moved' || !step.placed || !step.target || !root) continue;
    try {
      await removeOwnEntry(step.target, step.placed, root);
    } catch (error) {
      result.error ??= error;
    }
  }
  crashPoint('after-catalog');

  // Old entries, each folder fsynced once, then the folders left empty pruned.
  const moved = steps.filter((s) => s.outcome === 'moved');
  const unlinkedDirs = new Set<string>();
  const checkedOld = new Set<string>();
  const done: number[] = [];
  await inPool(moved, CONCURRENCY, async (step) => {
    const { move } = step;
    try {
      if (step.blob && root && move.from !== null) {
        const old = rt.entry(tenant, move.from) as string;
        if (await removeEntry(old, step.blob, root, { sync: false, prune: false, checked: checkedOld }))
          unlinkedDirs.add(dirname(old));
      }
      done.push(move.seq);
    } catch (error) {
      // The catalog has the new path: the row stays `planned` and start-up finishes it.
      result.error ??= error;
    }
  });
  await syncAll(unlinkedDirs).catch(() => {});
  if (root) {
    const deepestFirst = [...unlinkedDirs].sort((a, b) => b.length - a.length);
    for (const dir of deepestFirst) await pruneEmpty(dir, root);
  }
  crashPoint('after-unlink');

  // The journal: one transaction per state.
  await store.moves.setStates(
    runId,
    done.sort((a, b) => a - b),
    'moved',
  );
  for (const step of steps) {
    if (step.outcome === 'changed' || step.outcome === 'failed') undone.push(step.move.seq);
    if (step.outcome === 'conflict') result.conflicts.push(step.move);
  }
  await store.moves.setStates(runId, undone, 'undone');
  result.moved = done.length;
  return result;
}
