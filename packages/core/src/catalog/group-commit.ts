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
 * A change whose caller can wait (`maxDelayMs`, e.g. a webhook outcome whose send slot is
 * already free) does not start a commit of its own: it rides with the next change that does,
 * or is committed `maxDelayMs` after it was asked for, whichever comes first. Fewer, larger
 * commits then write fewer log pages per change; its caller still resolves only once it is
 * committed.
 *
 * @module
 */

/** A change: its statements, through the handle bound to the shared transaction. */
export type GroupedChange<H, T> = (handle: H) => Promise<T>;

/** Changes grouped into shared commits; see the module comment. */
export interface GroupCommit<H> {
  /**
   * Runs `change` in the next shared commit; resolves with its result once committed.
   * A boolean is `{ single }`.
   */
  write<T>(change: GroupedChange<H, T>, options?: boolean | GroupedWriteOptions): Promise<T>;
}

/** How one change joins the shared commits. */
export interface GroupedWriteOptions {
  /**
   * The change is one statement, so alone it may run without a transaction.
   * @default false
   */
  single?: boolean;
  /**
   * How long the change may wait for a commit that another change starts, in ms, before it
   * starts one itself. Larger batches cost less per change, but the caller waits up to this
   * long longer; 0 commits on the next turn of the event loop.
   * @default 0
   */
  maxDelayMs?: number;
}

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** The clock that `maxDelayMs` is measured on, in ms. @default Date.now */
  now?: () => number;
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

/**
 * Creates a group commit over `target`.
 *
 * @example
 * ```ts
 * const writes = createGroupCommit({ transaction: (fn) => db.transaction().execute(fn), direct: db });
 * await writes.write((h) => h.insertInto('jobs').values(job).execute(), true);
 * await writes.write((h) => markDone(h, id), { maxDelayMs: 2 }); // may share a later commit
 * ```
 */
export function createGroupCommit<H>(
  target: GroupCommitTarget<H>,
  options: GroupCommitOptions = {},
): GroupCommit<H> {
  const now = options.now ?? Date.now;
  let queue: Pending<H>[] = [];
  let scheduled = false;
  let flushing = false;
  // The queue holds a change that wants the next turn; else the earliest time a delayed one
  // must be committed by, and the timer armed for it.
  let urgent = false;
  let deadline = Number.POSITIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const alone = (p: Pending<H>) =>
    (p.single ? p.change(target.direct) : target.transaction((h) => p.change(h))).then(p.resolve, p.reject);

  async function flush(): Promise<void> {
    scheduled = false;
    flushing = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    urgent = false;
    deadline = Number.POSITIVE_INFINITY;
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
    if (!urgent) {
      // Only changes that can wait: commit when the first of them is due, unless a change
      // that cannot wait comes first.
      if (timer === undefined) timer = setTimeout(() => void flush(), Math.max(0, deadline - now()));
      return;
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    scheduled = true;
    setImmediate(() => void flush());
  }

  return {
    write<T>(change: GroupedChange<H, T>, options: boolean | GroupedWriteOptions = false): Promise<T> {
      const { single = false, maxDelayMs = 0 } = typeof options === 'boolean' ? { single: options } : options;
      return new Promise<T>((resolve, reject) => {
        queue.push({ change, single, resolve: resolve as (value: unknown) => void, reject });
        if (maxDelayMs > 0) {
          const due = now() + maxDelayMs;
          if (due < deadline) {
            deadline = due;
            if (timer !== undefined) clearTimeout(timer);
            timer = undefined;
          }
        } else {
          urgent = true;
        }
        schedule();
      });
    },
  };
}
