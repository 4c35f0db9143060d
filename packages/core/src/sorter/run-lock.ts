/**
 * The lock that makes a sort run's journal belong to one live instance at a time.
 *
 * Why a lock per run, and not per file: the catalog already makes each move happen once — a
 * record's path changes only from the place the move read (compare-and-set in the
 * transaction), and a path is unique per tenant — so two instances moving one file cannot
 * both move it. What the catalog cannot tell is whether a `planned` journal row belongs to a
 * run that died or to one another instance is executing right now. Start-up recovery settles
 * every `planned` row; without this lock an instance starting while another applies a run
 * would roll back that run's moves under it (remove the new entries it just linked, mark its
 * rows undone) while the other commits them — a file moved twice, and lost from the sorted
 * folder. So whoever executes a run's moves (apply, undo) holds `sort-run:<runId>` from before
 * the first row is written until the run is settled, and recovery settles only the runs whose
 * lock it can take (a dead instance's lock expires after {@link SORT_RUN_LOCK_TTL_MS}).
 * Two undos of one run (two API instances) also take turns instead of both reversing it.
 *
 * @module
 */
import { FileForgeError } from '../errors/index.js';
import type { Lock } from '../locks/index.js';
import { recoverMoves } from './move.js';
import type { SorterRuntime } from './runtime.js';

/** TTL of a run's lock; renewed every third of it while the run executes. */
export const SORT_RUN_LOCK_TTL_MS = 30_000;

/** How long an undo waits for another instance working on the same run. */
const UNDO_WAIT_MS = 60_000;

const keyOf = (runId: string) => `sort-run:${runId}`;

/**
 * Runs `fn` holding the run's lock, renewed while it runs (`lost` aborts when a renewal fails);
 * waits for another holder only when `wait` (undo).
 */
export function withRunLock<T>(
  rt: SorterRuntime,
  runId: string,
  fn: (lock: Lock, lost: AbortSignal) => Promise<T>,
  wait = false,
): Promise<T> {
  return rt.ctx.locks.withLock(keyOf(runId), fn, {
    ttlMs: SORT_RUN_LOCK_TTL_MS,
    ...(wait ? { waitMs: UNDO_WAIT_MS, retryMs: 100 } : {}),
  });
}

/**
 * Runs `fn` holding the run's lock for recovery, renewed while it settles the run: `false`
 * when a live instance holds it, or when the lock was lost midway (`fn` stops at its next
 * check of `lost`) — recovery leaves that run to whoever holds it.
 */
export async function recoverWithRunLock(
  rt: SorterRuntime,
  runId: string,
  fn: (lost: AbortSignal) => Promise<void>,
): Promise<boolean> {
  try {
    await withRunLock(rt, runId, (_lock, lost) => fn(lost));
    return true;
  } catch (error) {
    const reason = FileForgeError.is(error)
      ? (error.details as { reason?: string } | undefined)?.reason
      : null;
    if (reason === 'locked' || reason === 'lock-lost') return false;
    throw error;
  }
}

/**
 * Start-up recovery of sort moves ({@link recoverMoves}), then a follow-up for the runs it had
 * to leave alone because their lock was held: every `retryMs` they are tried again until all
 * are settled — by this instance once the holder is gone (another instance that died, or this
 * process's previous life restarted within the lock's TTL). Resolves once the first pass is
 * done, with a function that stops the follow-up (awaiting a pass in progress).
 */
export async function startMoveRecovery(
  rt: SorterRuntime,
  retryMs: number = SORT_RUN_LOCK_TTL_MS,
): Promise<() => Promise<void>> {
  if ((await recoverMoves(rt)).inFlight === 0) return async () => {};
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      pass = recoverMoves(rt).then(
        (result) => {
          if (result.inFlight > 0 && !stopped) schedule();
        },
        (err: unknown) => {
          if (stopped) return;
          rt.ctx.options.logger.warn({ err }, 'could not settle sort runs another instance held; will retry');
          schedule();
        },
      );
    }, retryMs);
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await pass;
  };
}
