/**
 * Group commit: changes asked for during one turn of the event loop share one transaction.
 *
 * How this works: a state change that the caller must see durable before going on (a
 * workflow step marked running, a job finished) needs a commit of its own, and a commit
 * costs more than the short statement in it. Changes queued during one turn are written
 * together in one transaction on the next turn (`setImmediate`); each caller's promise
 * resolves once that transaction committed, so nothing a caller does after
 * `await write(…)` happens before its change is durable, exactly as with a commit of its
 * own. A change alone in its turn runs alone (and without a transaction when it is one
 * statement). While a batch commits the next one gathers. When a batch fails, nothing of it
 * committed and each of its changes is tried again alone, so one change's error never fails
 * another's. Changes must not depend on each other's results within a batch.
 *
 * @module
 */

/** A change: its statements, through the handle bound to the shared transaction. */
export type GroupedChange<H, T> = (handle: H) => Promise<T>;

/** Changes grouped into shared commits; see the module comment. */
export interface GroupCommit<H> {
  /**
   * Runs `change` in the next shared commit; resolves with its result once committed.
   * `single`: the change is one statement, so alone it may run without a transaction.
   */
  write<T>(change: GroupedChange<H, T>, single?: boolean): Promise<T>;
}

/** Where a group commit writes. */
export interface GroupCommitTarget<H> {
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: (handle: H) => Promise<T>): Promise<T>;
  /** The handle outside any transaction (each statement its own commit). */
  direct: H;
}

interface Pending<H> {
  change: GroupedChange<H, unknown>;
  single: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Creates a group commit over `target`. */
export function createGroupCommit<H>(target: GroupCommitTarget<H>): GroupCommit<H> {
  let queue: Pending<H>[] = [];
  let scheduled = false;
  let flushing = false;

  const alone = (p: Pending<H>) =>
    (p.single ? p.change(target.direct) : target.transaction((h) => p.change(h))).then(p.resolve, p.reject);

  async function flush(): Promise<void> {
    scheduled = false;
    flushing = true;
    const batch = queue;
    queue = [];
    try {
      if (batch.length === 1) {
        await alone(batch[0]!);
        return;
      }
      let results: unknown[];
      try {
        results = await target.transaction(async (h) => {
          const out: unknown[] = [];
          for (const p of batch) out.push(await p.change(h));
          return out;
        });
      } catch {
        for (const p of batch) await alone(p);
        return;
      }
      batch.forEach((p, i) => {
        p.resolve(results[i]);
      });
    } finally {
      flushing = false;
      if (queue.length > 0) schedule();
    }
  }

  function schedule(): void {
    if (scheduled || flushing) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  return {
    write<T>(change: GroupedChange<H, T>, single = false): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ change, single, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}
