/**
 * One move of a file in the sorted tree, journaled so that a crash anywhere leaves the file at
 * exactly one place and the catalog agreeing with the disk.
 *
 * How this works: the journal row (`sort_moves`, state `planned`) is written first. Then the
 * entry appears at its new place (a hard link to the blob, or a copy put in place under a
 * temporary name), then the record's `path` changes in a transaction together with its
 * `file.sorted` event, then the old entry is unlinked and the row marked `moved`. At start-up,
 * {@link recoverMoves} looks at every row still `planned`: when the catalog already has the
 * new path, the move is finished (old entry removed); otherwise it is rolled back (the new
 * entry removed). Either way the row is settled and the file is at the place its record says.
 *
 * @module
 */
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { caused, commitWithEvent } from '../forge/commit-event.js';
import { isoNow, orderedEventId } from '../forge/context.js';
import { crashPoint } from '../forge/crash-point.js';
import type { FileRecord } from '../model/index.js';
import {
  blobVanished,
  type EntryIdentity,
  identityOf,
  placeEntry,
  pruneEmpty,
  removeEntry,
  removeOwnEntry,
  TEMP_PREFIX,
} from './materialize.js';
import { recoverWithRunLock } from './run-lock.js';
import type { SorterRuntime } from './runtime.js';
import type { SortMoveRecord } from './store.js';

/**
 * The `file.sorted` event id of move `seq` of run `runId`: the same for every retry of that
 * move, and in the run's order (the run's time-ordered id, then the sequence number at a fixed
 * width), so a run's events are stored at the end of the outbox's event-id index.
 */
export const moveEventId = (runId: string, seq: number): string =>
  orderedEventId(`${runId}${seq.toString(36).padStart(6, '0')}`, 'file.sorted');

/** Causation put on the events a workflow step causes. */
export type CausedBy = { workflowId: string; runId: string; depth: number };

/** How one move ended: done; the destination was taken meanwhile (re-plan); the file changed or went. */
export type MoveResult = 'moved' | 'conflict' | 'changed';

/** Options for {@link executeMove}. */
export interface ExecuteMoveOptions {
  /** Id of the `file.sorted` event (stable across retries of one logical move). */
  eventId: string;
  causedBy?: CausedBy;
}

const isPathConflict = (error: unknown) =>
  FileForgeError.is(error) &&
  error.code === ErrorCode.CONFLICT &&
  (error.details as { field?: string } | undefined)?.field === 'path';

/**
 * Runs one journaled move whose row is already written (`planned`). The record must still be
 * at `move.from`; otherwise nothing changes and the row ends `undone` (`changed`). A
 * destination taken meanwhile (another file raced for it: the link or the unique index
 * refuses) changes nothing and answers `conflict` with the row still `planned`: the caller
 * re-plans it (`moves.retarget`) or settles it `undone`.
 */
export async function executeMove(
  rt: SorterRuntime,
  move: SortMoveRecord,
  options: ExecuteMoveOptions,
): Promise<MoveResult> {
  const { ctx, store } = rt;
  crashPoint('after-journal');
  const record = await ctx.catalog.files.get(move.tenant, move.fileId);
  if (!record || record.path !== move.from) {
    await store.moves.setState(move.runId, move.seq, 'undone');
    return 'changed';
  }
  const blob = rt.blobPath(record.blobKey);
  const target = move.to === null ? null : rt.entry(move.tenant, move.to);
  // The entry placed here, by identity: removed exactly, even once a delete took the blob.
  let placed: EntryIdentity | null = null;
  const unlinkNew = async () => {
    if (placed && target) await removeOwnEntry(target, placed, rt.tenantRoot(move.tenant) as string);
  };
  try {
    if (
      blob &&
      target &&
      (await placeEntry(blob, target, rt.tenantRoot(move.tenant) as string)) !== 'present'
    )
      placed = await identityOf(target);
  } catch (error) {
    if (isPathConflict(error)) return 'conflict';
    await store.moves.setState(move.runId, move.seq, 'undone');
    if (blob && (await blobVanished(error, blob))) return 'changed'; // the file was deleted meanwhile
    throw error;
  }
  crashPoint('after-link');

  let updated: FileRecord | null;
  try {
    updated = await commitWithEvent(
      ctx,
      async (tx) => {
        const current = await tx.files.get(move.tenant, move.fileId);
        if (!current || current.path !== move.from) return null;
        return tx.files.update(move.tenant, move.fileId, { path: move.to });
      },
      (file) =>
        file
          ? caused('file.sorted', {
              eventId: options.eventId,
              tenant: move.tenant,
              file,
              from: move.from,
              to: move.to,
              runId: move.runId,
              timestamp: isoNow(ctx),
              ...(options.causedBy ? { causedBy: options.causedBy } : {}),
            })
          : null,
    );
  } catch (error) {
    await unlinkNew();
    if (isPathConflict(error)) return 'conflict';
    await store.moves.setState(move.runId, move.seq, 'undone');
    throw error;
  }
  if (!updated) {
    await unlinkNew();
    await store.moves.setState(move.runId, move.seq, 'undone');
    return 'changed';
  }
  crashPoint('after-catalog');

  if (blob && move.from !== null) {
    const old = rt.entry(move.tenant, move.from) as string;
    await removeEntry(old, blob, rt.tenantRoot(move.tenant) as string);
  }
  crashPoint('after-unlink');
  await store.moves.setState(move.runId, move.seq, 'moved');
  return 'moved';
}

/** What {@link recoverMoves} did. */
export interface MoveRecovery {
  /** Moves the catalog had already made: their old entries were removed. */
  finished: number;
  /** Moves the catalog had not made: their new entries were removed. */
  rolledBack: number;
  /** Runs left alone because another live instance holds their lock (it is executing them). */
  inFlight: number;
}

/**
 * Settles every move a crash left `planned`, in journal order: finished when the record
 * already has the new path, rolled back otherwise; then each run touched gets its final
 * status and counts. Afterwards every file is at exactly one place and the catalog agrees.
 * Runs at start-up before anything else can move files; a run whose lock another live
 * instance holds is skipped (see `run-lock.ts`).
 */
export async function recoverMoves(rt: SorterRuntime): Promise<MoveRecovery> {
  const { ctx } = rt;
  const result: MoveRecovery = { finished: 0, rolledBack: 0, inFlight: 0 };
  const runs = new Map<string, SortMoveRecord[]>();
  for (const move of await rt.store.moves.listPlanned()) {
    const rows = runs.get(move.runId) ?? [];
    if (rows.length === 0) runs.set(move.runId, rows);
    rows.push(move);
  }
  for (const [runId, moves] of runs) {
    // A run another live instance is executing is its own (see run-lock.ts): left alone. The
    // lock is renewed while a long run settles; lost, the rest is left to its next holder.
    const settled = await recoverWithRunLock(rt, runId, async (lost) => {
      for (const move of moves) {
        lost.throwIfAborted();
        await settleMove(rt, move, result);
      }
      lost.throwIfAborted();
      await settleRun(rt, runId);
    });
    if (!settled) result.inFlight++;
  }
  if (result.finished + result.rolledBack > 0) {
    ctx.options.logger.info({ ...result }, 'settled sort moves a crash interrupted');
  }
  return result;
}

/** Settles one `planned` row (see {@link recoverMoves}). */
async function settleMove(rt: SorterRuntime, move: SortMoveRecord, result: MoveRecovery): Promise<void> {
  const { ctx, store } = rt;
  const record = await ctx.catalog.files.get(move.tenant, move.fileId);
  const done = record !== null && record.path === move.to && move.to !== move.from;
  const blob = record ? rt.blobPath(record.blobKey) : null;
  const tenantRoot = rt.tenantRoot(move.tenant);
  if (blob && tenantRoot) {
    try {
      // The entry that must not exist, unless another record holds that path now.
      const stale = done ? move.from : move.to;
      if (stale !== null && !(await store.tree.occupant(move.tenant, stale))) {
        await removeEntry(rt.entry(move.tenant, stale) as string, blob, tenantRoot);
      }
      // The entry that must exist: the record's own path.
      if (record?.path) await placeEntry(blob, rt.entry(move.tenant, record.path) as string, tenantRoot);
      if (move.to !== null) await removeTemps(rt.entry(move.tenant, move.to) as string, tenantRoot);
    } catch (err) {
      // The catalog is the truth and stays consistent; the row stays planned and the next
      // start tries the disk again. Start-up is not blocked by one unreadable entry.
      ctx.options.logger.warn(
        { err, runId: move.runId, fileId: move.fileId },
        'could not settle a sorted entry',
      );
      return;
    }
  }
  await store.moves.setState(move.runId, move.seq, done ? 'moved' : 'undone');
  // A finished reversal (undo) settles the move it reversed.
  if (done && move.undoes !== null) await store.moves.setState(move.runId, move.undoes, 'undone');
  if (done) result.finished++;
  else result.rolledBack++;
}

/** Removes copies a crash left half-written next to `entry`, and the folders left empty. */
async function removeTemps(entry: string, stop: string): Promise<void> {
  const dir = dirname(entry);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(TEMP_PREFIX) && name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
  }
  await pruneEmpty(dir, stop);
}

/**
 * Recomputes a run's counts and status from its journal: `applied` when every forward move
 * happened, `undone` when every one was reversed, `partial` otherwise. Answers the journal's
 * rows as read (settling changes the run, not its rows).
 */
export async function settleRun(
  rt: SorterRuntime,
  runId: string,
  skipped?: number,
): Promise<SortMoveRecord[]> {
  const { store, ctx } = rt;
  const moves = await store.moves.list(runId);
  const forward = moves.filter((m) => m.undoes === null);
  const reversed = new Set(
    moves.filter((m) => m.undoes !== null && m.state === 'moved').map((m) => m.undoes),
  );
  const moved = forward.filter((m) => m.state === 'moved' || reversed.has(m.seq)).length;
  const undone = forward.filter((m) => reversed.has(m.seq)).length;
  const status =
    undone > 0 && undone === moved
      ? 'undone'
      : moved === forward.length && undone === 0
        ? 'applied'
        : 'partial';
  await store.runs.update(runId, {
    status,
    moved,
    finishedAt: isoNow(ctx),
    ...(skipped === undefined ? {} : { skipped }),
  });
  return moves;
}
