import { stat } from 'node:fs/promises';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { isEntryOf } from './materialize.js';
import { executeMove, moveEventId, settleRun } from './move.js';
import { withRunLock } from './run-lock.js';
import type { SorterRuntime } from './runtime.js';
import type { SortMoveRecord, SortRunRecord } from './store.js';

/** A file undo stopped at, and why. */
export interface UndoStop {
  fileId: string;
  /** Where the run had put it. */
  path: string | null;
  reason: 'content-changed' | 'moved-since' | 'changed-on-disk' | 'place-taken';
  message: string;
}

/** What {@link undoRun} did. */
export interface UndoReport {
  run: SortRunRecord;
  /** Moves reversed by this call. */
  undone: number;
  /** Files of the run deleted since: nothing to put back, passed over. */
  deleted: number;
  /** The file undo stopped at (nothing after it in reverse order was touched); `null` when the whole run is undone. */
  stopped: UndoStop | null;
}

const MESSAGES: Record<UndoStop['reason'], string> = {
  'content-changed': 'the file’s content changed since the run',
  'moved-since': 'the file was moved since the run',
  'changed-on-disk': 'its entry in the sorted folder was replaced or modified since the run',
  'place-taken': 'another file now holds the place it came from',
};

/**
 * Moves a run's files back, newest move first, each reversal journaled like any move. Stops
 * safely at the first file that changed since the run (other content, moved elsewhere, its
 * entry on disk replaced, or its old place taken): what came before it in reverse order is
 * undone, it and the rest stay, and the report names it. Calling again after fixing that file
 * carries on. A file deleted since the run has nothing to put back: it is passed over
 * (counted in `deleted`), so a deletion never keeps the rest of the run from being undone.
 */
export async function undoRun(rt: SorterRuntime, tenant: string, runId: string): Promise<UndoReport> {
  const run = await rt.store.runs.get(tenant, runId);
  if (!run) throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:sorter] Sort run ${runId} not found`);
  // One instance at a time reverses a run: a second undo (another API instance) waits, then
  // reads the journal the first one left and finds nothing more to do (see run-lock.ts).
  return withRunLock(rt, runId, () => undoLocked(rt, tenant, runId), true);
}

async function undoLocked(rt: SorterRuntime, tenant: string, runId: string): Promise<UndoReport> {
  const { ctx, store } = rt;
  const moves = await store.moves.list(runId);
  const reversed = new Set(
    moves.filter((m) => m.undoes !== null && m.state === 'moved').map((m) => m.undoes),
  );
  const todo = moves
    .filter((m) => m.undoes === null && m.state === 'moved' && !reversed.has(m.seq))
    .reverse();
  let seq = moves.reduce((max, m) => Math.max(max, m.seq), -1) + 1;
  let undone = 0;
  let deleted = 0;
  let stopped: UndoStop | null = null;
  const stop = (m: SortMoveRecord, reason: UndoStop['reason']) => {
    stopped = { fileId: m.fileId, path: m.to, reason, message: MESSAGES[reason] };
  };
  try {
    for (const m of todo) {
      const reason = await changedSince(rt, m);
      if (reason === 'deleted') {
        deleted++;
        continue;
      }
      if (reason) {
        stop(m, reason);
        break;
      }
      const reverse: SortMoveRecord = {
        ...m,
        seq: seq++,
        from: m.to,
        to: m.from,
        state: 'planned',
        undoes: m.seq,
      };
      await store.moves.append([reverse]);
      const result = await executeMove(rt, reverse, {
        eventId: moveEventId(runId, reverse.seq),
      });
      if (result !== 'moved') {
        if (result === 'conflict') await store.moves.setState(runId, reverse.seq, 'undone');
        stop(m, result === 'conflict' ? 'place-taken' : 'moved-since');
        break;
      }
      await store.moves.setState(runId, m.seq, 'undone');
      undone++;
    }
  } finally {
    await settleRun(rt, runId);
    await ctx.dispatcher.deliver();
  }
  return { run: (await store.runs.get(tenant, runId)) as SortRunRecord, undone, deleted, stopped };
}

/** Why a moved file may not be moved back, or `null` when it is as the run left it. */
async function changedSince(
  rt: SorterRuntime,
  m: SortMoveRecord,
): Promise<UndoStop['reason'] | 'deleted' | null> {
  const record = await rt.ctx.catalog.files.get(m.tenant, m.fileId);
  if (!record) return 'deleted';
  if (record.sha256 !== m.sha256) return 'content-changed';
  if (record.path !== m.to) return 'moved-since';
  const blob = rt.blobPath(record.blobKey);
  if (blob && m.to !== null && !(await isEntryOf(rt.entry(m.tenant, m.to) as string, blob))) {
    return 'changed-on-disk';
  }
  if (blob && m.to !== null) {
    // A link shares the blob's inode: an edit in place shows as a size the record does not have.
    if ((await stat(blob)).size !== record.size) return 'changed-on-disk';
  }
  if (m.from !== null) {
    const holder = await rt.store.tree.occupant(m.tenant, m.from);
    if (holder && holder.id !== m.fileId) return 'place-taken';
  }
  return null;
}
