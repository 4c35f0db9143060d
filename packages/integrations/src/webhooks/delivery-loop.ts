/**
 * The sender: sends attempts leased from the catalog (the queue), at most `concurrency` at
 * once, so one endpoint's retries never hold up other messages, and one slow endpoint never
 * holds up the others.
 *
 * How this works: attempts reach the ready list two ways. A claim leases a page of up to
 * `concurrency` due attempts; a new message's attempts take idle send slots directly,
 * recorded already leased to this loop in the message's own transaction (see
 * {@link DeliveryLoop.reserve}), which saves a claim per message. Hand-overs never fill the
 * ready list: while claimed attempts wait there, a new message's attempts are recorded
 * unleased and queue behind them, so a backlog is never starved. At most four times
 * `concurrency` attempts are in memory (sending, waiting to be sent, waiting for their
 * outcome's commit), so it stays flat however long the queue is. The loop claims only
 * while the catalog may hold due attempts it has not seen: at start, every `pollIntervalMs`
 * (retries coming due, other processes' messages), when woken (a message recorded without a
 * lease) and while the last page came back full; a page that comes back short means it has
 * caught up.
 * A send slot is freed as soon as the receiver has answered, while the outcome waits for its
 * commit (a shared one, see the service's group commit), so the commit's wait does not hold a
 * connection idle; at most `concurrency` outcomes wait so, beyond that a slot is held until its
 * outcome is committed. `flush()` and `close()` wait for those commits too.
 * An attempt whose lease would run out before its request's deadline is given back instead of
 * sent, so a lease never covers a send it could outlive.
 * Slow endpoints: a send still waiting for its answer after `slowSendMs` marks its endpoint
 * slow and stops taking a send slot (for up to `concurrency` such sends), so a receiver that
 * hangs does not stall the others until its requests time out. An answer within `slowSendMs`,
 * or nothing left in flight to it, clears the mark; a slower answer keeps it while others are
 * in flight. While the sends in flight fill `concurrency`, a slow endpoint gets no more than
 * `⌈concurrency / 4⌉` of them: its due attempts are left in the queue (the claim skips it)
 * and the slots go to the others. Below `concurrency` in flight it takes any free slot, so a
 * lone slow receiver still gets `concurrency` sends at once. Sends in flight stay at most
 * `2 × concurrency`.
 * The poll timer is unref'd and cleared at `close()`, which gives back the ready list's leases
 * and waits for the sends in flight (each bounded by the request timeout), aborting them after
 * `closeGraceMs`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { type DeliveryContext, recordAttempt, sendAttempt } from './deliver.js';
import type { ClaimedAttempt } from './store/attempts.js';

/** Options of the delivery loop. */
export interface DeliveryLoopOptions {
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  closeGraceMs: number;
  /** A send waiting longer than this for its answer marks its endpoint slow (see the module comment). */
  slowSendMs: number;
}

/** Send slots taken for attempts recorded already leased to the loop. */
export interface Reservation {
  /** How many attempts may be recorded leased (0: record them unleased and `wake()`). */
  count: number;
  /** The lease to record them with. */
  owner: string;
  leaseUntil: string;
  /**
   * Hands over the attempts recorded with this lease (any number up to `count`, none when
   * recording failed) and frees the slots. Call it exactly once.
   */
  adopt(claimed: readonly ClaimedAttempt[]): void;
}

/** A running sender. */
export interface DeliveryLoop {
  /** Looks for due attempts now (after a message recorded without a lease). */
  wake(): void;
  /** Takes up to `n` send slots for a new message's attempts; see {@link Reservation}. */
  reserve(n: number): Reservation;
  /** Sends everything due now, and what that makes due now, then resolves with how many were sent. */
  flush(): Promise<number>;
  /** Stops claiming and waits for the sends in flight. */
  close(): Promise<void>;
}

/** Starts a delivery loop over `ctx`'s stores. */
export function startDeliveryLoop(ctx: DeliveryContext, options: DeliveryLoopOptions): DeliveryLoop {
  const owner = `webhooks:${randomUUID()}`;
  const capacity = 3 * options.concurrency;
  /** Sends waiting for the receiver's answer (the send slots). */
  const inFlight = new Map<string, Promise<void>>();
  /** The same sends until answered: their endpoints and start times (`performance.now()`), oldest first. */
  const started = new Map<string, { endpointId: string; at: number }>();
  /** Sends in flight per endpoint. */
  const perEndpoint = new Map<string, number>();
  /**
   * Endpoints with sends in flight whose last answer took longer than `slowSendMs`, or with a
   * send waiting as long.
   */
  const slow = new Set<string>();
  /** Sends in flight a slow endpoint may have while the slots are full. */
  const slowShare = Math.max(1, Math.ceil(options.concurrency / 4));
  /** The last claim left slow endpoints' attempts in the queue. */
  let skipped = false;
  /** Outcomes of answered sends waiting for their commit, slot already freed. */
  const recording = new Map<string, Promise<void>>();
  /** Leased, not yet sent, oldest first, each with the end of its lease (ms). */
  const ready: { attempt: ClaimedAttempt; leaseUntil: number }[] = [];
  const abort = new AbortController();
  // Every send in flight listens for close on this one signal: at most `concurrency` of them.
  setMaxListeners(0, abort.signal);
  let running = true;
  /** The catalog may hold due attempts this loop has not claimed. */
  let behind = true;
  /** Counts the signals that set `behind`, so a claim that ran before one does not clear it. */
  let signals = 0;
  const markBehind = () => {
    behind = true;
    signals++;
  };
  let reserved = 0;
  let pumping: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let sent = 0;

  const poll = () => {
    markBehind();
    void pump();
    if (!running) return;
    timer = setTimeout(poll, options.pollIntervalMs);
    timer.unref();
  };

  /**
   * Sends that take a slot: those in flight less the ones waiting past `slowSendMs` (at most
   * `concurrency` of them), whose endpoints this marks slow.
   */
  const busy = () => {
    const since = performance.now() - options.slowSendMs;
    let waiting = 0;
    for (const { endpointId, at } of started.values()) {
      if (at >= since || waiting === options.concurrency) break;
      slow.add(endpointId);
      waiting++;
    }
    return inFlight.size - waiting;
  };

  /** A slow endpoint with its share in flight, while the sends in flight fill `concurrency`. */
  const held = (endpointId: string) =>
    inFlight.size >= options.concurrency &&
    slow.has(endpointId) &&
    (perEndpoint.get(endpointId) ?? 0) >= slowShare;

  /** The endpoints a claim leaves out now (see {@link held}). */
  const heldEndpoints = () => (slow.size === 0 ? [] : [...slow].filter(held));

  /** A slow endpoint has its share in flight (held back once the slots fill). */
  const slowAtShare = () => {
    for (const endpointId of slow) if ((perEndpoint.get(endpointId) ?? 0) >= slowShare) return true;
    return false;
  };

  /** The send `id` got its answer (or failed): it no longer waits on its endpoint. */
  const answered = (id: string) => {
    const sending = started.get(id);
    if (!sending) return;
    started.delete(id);
    const n = (perEndpoint.get(sending.endpointId) ?? 1) - 1;
    if (n > 0) perEndpoint.set(sending.endpointId, n);
    else {
      // Nothing in flight to it: whether it is slow is seen again on its next sends.
      perEndpoint.delete(sending.endpointId);
      slow.delete(sending.endpointId);
    }
  };

  const freeSlot = (id: string) => {
    inFlight.delete(id);
    answered(id);
    // The last claim left slow endpoints' attempts in the queue: look again.
    if (skipped) markBehind();
    if (ready.length > 0 || behind) void pump();
  };

  const send = (claimed: ClaimedAttempt) => {
    let early = false;
    const { endpointId } = claimed;
    started.set(claimed.id, { endpointId, at: performance.now() });
    perEndpoint.set(endpointId, (perEndpoint.get(endpointId) ?? 0) + 1);
    const task = sendAttempt(ctx, claimed, abort.signal)
      .then((answer) => {
        if (answer.durationMs > options.slowSendMs) slow.add(endpointId);
        else slow.delete(endpointId);
        // Answered: a wait for the outcome's commit is not the endpoint's slowness.
        answered(claimed.id);
        const record = recordAttempt(ctx, claimed, owner, answer);
        if (recording.size >= options.concurrency) return record;
        // Answered: the slot can take the next send while this outcome waits for its commit.
        early = true;
        const tracked = record.then(
          () => {
            sent++;
          },
          (err) => ctx.logger.error({ err, attemptId: claimed.id }, 'webhook attempt could not be recorded'),
        );
        recording.set(claimed.id, tracked);
        void tracked.finally(() => {
          recording.delete(claimed.id);
          if (ready.length > 0 || behind) void pump();
        });
        freeSlot(claimed.id);
        return true;
      })
      .then(
        () => {
          if (!early) sent++;
        },
        (err) => ctx.logger.error({ err, attemptId: claimed.id }, 'webhook attempt could not be recorded'),
      )
      .finally(() => {
        if (!early) freeSlot(claimed.id);
      });
    inFlight.set(claimed.id, task);
  };

  /** Waits for the sends in flight and the outcomes waiting for their commit. */
  const settled = () => Promise.allSettled([...inFlight.values(), ...recording.values()]);

  /** Gives leases back (a lease left behind only delays its attempt until it expires). */
  const release = async (ids: string[]) => {
    if (ids.length === 0) return;
    markBehind();
    await ctx.attempts
      .release(ids, owner)
      .catch((err) => ctx.logger.warn({ err }, 'webhook leases could not be given back; they expire'));
  };

  /**
   * Sends from the ready list into the free slots; an attempt its lease cannot cover, or for
   * an endpoint {@link held} back, goes back to the queue.
   */
  const startReady = () => {
    const back: string[] = [];
    while (running && ready.length > 0 && busy() < options.concurrency) {
      const { attempt, leaseUntil } = ready.shift()!;
      if (leaseUntil - ctx.now() <= ctx.timeoutMs || held(attempt.endpointId)) back.push(attempt.id);
      else send(attempt);
    }
    void release(back);
  };

  /** Claims pages into the free slots while the catalog may hold more; returns how many it claimed. */
  const claimRound = async (): Promise<number> => {
    let claimed = 0;
    startReady();
    while (running && behind && busy() < options.concurrency && ready.length === 0) {
      const now = ctx.now();
      const leaseUntil = now + options.leaseMs;
      let limit = Math.min(options.concurrency, capacity - inFlight.size - recording.size - reserved);
      // Below `concurrency` in flight nothing is held back, but the slots that fills hold it
      // back again: claim no more than those, or the rest would go back to the queue at once.
      if (inFlight.size < options.concurrency && slowAtShare())
        limit = Math.min(limit, options.concurrency - inFlight.size);
      if (limit <= 0) break;
      const seen = signals;
      const skip = heldEndpoints();
      skipped = skip.length > 0;
      const batch = await ctx.attempts.claimDue(ctx.iso(now), ctx.iso(leaseUntil), owner, limit, skip);
      if (!running) {
        await release(batch.map((a) => a.id));
        break;
      }
      if (batch.length < limit && signals === seen) behind = false;
      for (const attempt of batch) ready.push({ attempt, leaseUntil });
      claimed += batch.length;
      startReady();
    }
    return claimed;
  };

  function pump(): Promise<number> {
    if (!running) return Promise.resolve(0);
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await claimRound();
        } while (again && running);
      } catch (err) {
        if (running) ctx.logger.warn({ err }, 'webhook attempts could not be claimed; retrying');
      } finally {
        pumping = null;
      }
      return total;
    })();
    return pumping;
  }

  poll();

  return {
    wake() {
      markBehind();
      void pump();
    },

    reserve(n) {
      const now = ctx.now();
      // Only idle send slots: while claimed attempts wait in the ready list, new ones queue behind.
      const idle = options.concurrency - busy() - ready.length - reserved;
      const count = running ? Math.max(0, Math.min(n, idle)) : 0;
      reserved += count;
      const leaseUntil = now + options.leaseMs;
      let adopted = false;
      return {
        count,
        owner,
        leaseUntil: ctx.iso(leaseUntil),
        adopt(claimed) {
          if (adopted) return;
          adopted = true;
          reserved -= count;
          if (!running) {
            void release(claimed.map((a) => a.id));
            return;
          }
          for (const attempt of claimed) ready.push({ attempt, leaseUntil });
          startReady();
        },
      };
    },

    async flush() {
      const before = sent;
      for (;;) {
        markBehind();
        const claimed = await pump();
        if (inFlight.size > 0 || recording.size > 0) await settled();
        else if (claimed === 0 || !running) break;
      }
      return sent - before;
    },

    async close() {
      running = false;
      clearTimeout(timer);
      await pumping;
      await release(ready.splice(0).map((r) => r.attempt.id));
      const grace = setTimeout(() => abort.abort(), options.closeGraceMs);
      grace.unref();
      while (inFlight.size > 0 || recording.size > 0) await settled();
      clearTimeout(grace);
    },
  };
}
