/**
 * Delivers the event outbox to the bus.
 *
 * How this works: each state change appends its event to the outbox in the same transaction
 * (see `Catalog.transaction`), then asks the dispatcher to `deliver()`. A delivery pass reads
 * the undelivered entries in `seq` order and hands each to every listener, awaiting them; the
 * entries every listener took are marked delivered. An entry whose listeners failed is kept:
 * the failed listeners only (not those that took it — within this process) get it again after
 * a backoff, up to `maxAttempts` rounds, after which it is marked delivered with its last error
 * and reported. While an entry waits for a retry, the later entries of its stream (its file)
 * wait too, so per-file order holds for every listener; other files flow on. What a crash left
 * undelivered is delivered by the first pass after `start()`. So delivery is at least once
 * (a crash after a listener ran and before the mark repeats it): listeners dedupe by `eventId`.
 * Delivered entries are pruned after `retentionMs`.
 *
 * Several processes on one catalog (API, workers) each run a dispatcher over the shared outbox.
 * A pass claims its entries first (`OutboxStore.claim`: an owner and a lease of `leaseMs`), so
 * each entry reaches one process's listeners, and a stream's entries one process at a time, in
 * order. A claim is renewed while a long batch runs; a stopped process's claims expire after
 * the lease, and another process's next pass (at the latest after `pollIntervalMs`) delivers
 * them. Listeners therefore hear the events their own process delivered, not all events:
 * something that must see every event reads the catalog or a shared channel instead. The sole
 * dispatcher of an outbox (`claims: false`) reads entries without claiming them.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { OutboxEntry, OutboxStore } from '../catalog/index.js';
import { type Backoff, exponentialBackoff } from '../queue/backoff.js';
import type { DeliveryResult, EventBus, ForgeEventName, ForgeEventPayload } from './bus.js';

/** Options for {@link createOutboxDispatcher}. */
export interface OutboxDispatcherOptions {
  /** The outbox (normally `catalog.outbox`). */
  store: OutboxStore;
  /** Where entries are delivered. */
  bus: EventBus;
  /** Delivery rounds per entry before it is given up on (marked delivered, reported). @default 5 */
  maxAttempts?: number;
  /** Delay before each further round. @default exponentialBackoff() (1 s doubling to 60 s, jittered) */
  backoff?: Backoff;
  /** A listener's promise not settled by then counts as failed. Delivery waits for listeners, so keep them quick and hand long work to a queue. @default 30000 */
  listenerTimeoutMs?: number;
  /** Delivered entries are kept this long (for inspection), then pruned. @default 604800000 (7 days) */
  retentionMs?: number;
  /** How often pruning runs, at most (it also runs at start). @default 3600000 (1 hour) */
  pruneIntervalMs?: number;
  /** Entries claimed per query. @default 100 */
  batchSize?: number;
  /**
   * Names this dispatcher's claims. A process that is the catalog's only one (an embedded forge
   * holding its data-directory lock) may pass a stable name, so that after a restart it takes
   * its earlier claims back at once. @default unique per dispatcher
   */
  owner?: string;
  /**
   * How long a claim holds; a stopped process's claims are delivered by another after it.
   * Renewed while a batch takes longer. Keep it well above the clock skew between hosts.
   * @default twice `listenerTimeoutMs` (60000)
   */
  leaseMs?: number;
  /** How often a pass runs unasked (claims another process left, retries it deferred). @default 10000 */
  pollIntervalMs?: number;
  /**
   * Claim entries before delivering them. Pass `false` only for the outbox's sole dispatcher
   * (an embedded forge on the SQLite catalog of its data directory, which its lock keeps to one
   * process): it then reads entries unclaimed, one write fewer per pass. @default true
   */
  claims?: boolean;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
  /** An entry's listeners kept failing for `maxAttempts` rounds; it will not be delivered again. */
  onGiveUp?(entry: OutboxEntry, errors: readonly unknown[]): void;
  /** The outbox itself could not be read or written; the next `deliver()` tries again. */
  onError?(error: unknown): void;
}

/** Delivers the outbox; see {@link createOutboxDispatcher}. */
export interface OutboxDispatcher {
  /** Starts delivering, beginning with what a crash left undelivered (on the next macrotask, so listeners added right after start-up get it). */
  start(): void;
  /**
   * Runs a delivery pass and resolves once a pass that began after this call has finished (the
   * caller's committed event is delivered, unless its stream waits for a retry). Never rejects.
   * Called from inside a listener it does not wait (that would wait for itself).
   */
  deliver(): Promise<void>;
  /**
   * Whether an event of `type` committed now may be appended already delivered (no pass needs
   * to read and mark it, and no `deliver()` call is needed): true only for the outbox's sole
   * dispatcher (`claims: false`), started (its first pass is due: listeners added at start-up are
   * in) and not closed, while no listener of this process subscribes to `type` — the listeners
   * a pass would hand it to then. An event so appended reaches no listener added afterwards,
   * even one added before a crash-interrupted pass would have run (a pass hands an unheard
   * event to nobody either; this only skips its read and mark).
   */
  unheard(type: ForgeEventName): boolean;
  /** Finishes with one last pass, then stops (no further passes or retries). */
  close(): Promise<void>;
}

const DAY = 86_400_000;

/** Creates the outbox dispatcher. */
export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { store, bus } = options;
  const now = options.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? exponentialBackoff();
  const retentionMs = options.retentionMs ?? 7 * DAY;
  const pruneIntervalMs = options.pruneIntervalMs ?? 3_600_000;
  const batchSize = options.batchSize ?? 100;
  const listenerTimeoutMs = options.listenerTimeoutMs ?? 30_000;
  const leaseMs = options.leaseMs ?? 2 * listenerTimeoutMs;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const claims = options.claims ?? true;
  const insideListener = new AsyncLocalStorage<true>();
  /** Per entry under retry: the subscriptions that already took it. */
  const tookIt = new Map<number, Set<object>>();
  let opened!: () => void;
  const gate = new Promise<void>((resolve) => {
    opened = resolve;
  });
  let closed = false;
  /** Started and not closed: `unheard` may answer true. */
  let live = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let prunedAt = Number.NEGATIVE_INFINITY;
  let poll: NodeJS.Timeout | undefined;

  function retryIn(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (closed || (timer && timerAt <= at)) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      void deliver();
    }, delayMs);
    timer.unref();
  }

  /** Hands one entry to the listeners that have not taken it; true when all have. */
  async function handOver(entry: OutboxEntry): Promise<boolean> {
    const type = entry.type as ForgeEventName;
    // Nobody listens (a workflow's own events, usually): taken by all, nothing to run.
    if (!bus.hasListeners(type)) {
      tookIt.delete(entry.seq);
      return true;
    }
    const took = tookIt.get(entry.seq) ?? new Set<object>();
    let result: DeliveryResult;
    try {
      result = await insideListener.run(true, () =>
        bus.deliver(type, entry.payload as ForgeEventPayload<typeof type>, {
          skip: took,
          ...(options.listenerTimeoutMs ? { timeoutMs: options.listenerTimeoutMs } : {}),
        }),
      );
    } finally {
      // An enabled AsyncLocalStorage runs promise hooks on every promise in the process
      // (10–15 % of the workflow engine's CPU): on only while listeners run. A listener that
      // timed out and calls `deliver()` later then waits for the pass, which no longer waits
      // for it.
      insideListener.disable();
    }
    const { succeeded, errors } = result;
    if (errors.length === 0) {
      tookIt.delete(entry.seq);
      return true;
    }
    for (const s of succeeded) took.add(s);
    const attempts = entry.attempts + 1;
    const lastError = errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ');
    if (attempts >= maxAttempts) {
      tookIt.delete(entry.seq);
      await store.markDelivered([entry.seq], iso(now()), lastError);
      options.onGiveUp?.({ ...entry, attempts, lastError }, errors);
      return false;
    }
    tookIt.set(entry.seq, took);
    const delay = backoff(attempts);
    await store.deferDelivery(entry.seq, { attempts, nextAttemptAt: iso(now() + delay), lastError });
    retryIn(delay);
    return false;
  }

  async function pass(): Promise<void> {
    const waiting = new Set<string>(); // streams with an entry waiting for a retry
    let afterSeq = 0;
    for (;;) {
      const claimedAt = now();
      const until = claimedAt + leaseMs;
      const batch = claims
        ? await store.claim({ owner, now: iso(claimedAt), until: iso(until), limit: batchSize })
        : await store.listUndelivered({ afterSeq, limit: batchSize });
      const delivered: number[] = [];
      let renew = false;
      try {
        for (const entry of batch) {
          if (waiting.has(entry.stream)) continue;
          // Read unclaimed: an entry waiting for its retry holds back its stream (a claim skips it).
          const due = entry.nextAttemptAt === null ? 0 : Date.parse(entry.nextAttemptAt) - now();
          if (due > 0) {
            waiting.add(entry.stream);
            retryIn(due);
            continue;
          }
          // Too little of the lease left for one more hand-over: claim the rest again.
          if (claims && now() + Math.min(listenerTimeoutMs, leaseMs / 2) > until) {
            renew = true;
            break;
          }
          if (await handOver(entry)) delivered.push(entry.seq);
          else if (tookIt.has(entry.seq)) waiting.add(entry.stream);
        }
      } finally {
        await store.markDelivered(delivered, iso(now()));
      }
      if (!claims) {
        if (batch.length < batchSize) break;
        afterSeq = batch.at(-1)?.seq ?? afterSeq;
        continue;
      }
      // A full batch may have more behind it; one that delivered nothing new ends the pass
      // (its entries wait for their retries, which have timers).
      if (!renew && (batch.length < batchSize || delivered.length === 0)) break;
    }
    if (now() - prunedAt >= pruneIntervalMs) {
      prunedAt = now();
      await store.prune(iso(now() - retentionMs));
    }
  }

  function deliver(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return insideListener.getStore() ? Promise.resolve() : running;
    }
    running = (async () => {
      await gate;
      try {
        do {
          again = false;
          await pass().catch((error) => options.onError?.(error));
        } while (again && !closed);
      } finally {
        running = undefined;
      }
    })();
    return insideListener.getStore() ? Promise.resolve() : running;
  }

  return {
    start() {
      setImmediate(() => {
        opened();
        live = !closed;
        void deliver();
      }).unref();
      if (!poll && !closed && pollIntervalMs > 0) {
        poll = setInterval(() => void deliver(), pollIntervalMs);
        poll.unref();
      }
    },
    deliver,
    unheard: (type) => live && !claims && !bus.hasListeners(type),
    async close() {
      live = false;
      if (closed) return;
      opened();
      await deliver();
      closed = true;
      clearTimeout(timer);
      clearInterval(poll);
      await running;
    },
  };
}
