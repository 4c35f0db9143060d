/**
 * The sender: claims due attempts from the catalog (the queue) with a lease and sends them,
 * at most `concurrency` at once, so one endpoint's retries never hold up other messages.
 * Claims take a page of up to `concurrency` attempts into a ready list, sent as slots free,
 * and the next page is claimed once the list is empty: memory holds at most twice
 * `concurrency` messages however long the queue is, and a backlog costs one claim per page,
 * not per send. An attempt whose lease would run out before its request's deadline is given
 * back instead of sent, so a lease never covers a send it could outlive. It claims when woken
 * (a new message), when the ready list runs dry and every `pollIntervalMs`. Its timer is
 * unref'd and cleared at `close()`, which gives back the ready list's leases and waits for
 * the sends in flight (each bounded by the request timeout), aborting them after
 * `closeGraceMs`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { type DeliveryContext, deliverAttempt } from './deliver.js';
import type { ClaimedAttempt } from './store/attempts.js';

/** Options of the delivery loop. */
export interface DeliveryLoopOptions {
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  closeGraceMs: number;
}

/** A running sender. */
export interface DeliveryLoop {
  /** Claims and sends what is due now (after a new message). */
  wake(): void;
  /** Sends everything due now, and what that makes due now, then resolves with how many were sent. */
  flush(): Promise<number>;
  /** Stops claiming and waits for the sends in flight. */
  close(): Promise<void>;
}

/** Starts a delivery loop over `ctx`'s stores. */
export function startDeliveryLoop(ctx: DeliveryContext, options: DeliveryLoopOptions): DeliveryLoop {
  const owner = `webhooks:${randomUUID()}`;
  const inFlight = new Map<string, Promise<void>>();
  /** Claimed, not yet sent, oldest first, each with the end of its lease (ms). */
  const ready: { attempt: ClaimedAttempt; leaseUntil: number }[] = [];
  const abort = new AbortController();
  // Every send in flight listens for close on this one signal: at most `concurrency` of them.
  setMaxListeners(0, abort.signal);
  let running = true;
  let pumping: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let sent = 0;

  const schedulePoll = () => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => void pump(), options.pollIntervalMs);
    timer.unref();
  };

  const send = (claimed: ClaimedAttempt) => {
    const task = deliverAttempt(ctx, claimed, owner, abort.signal)
      .then(() => {
        sent++;
      })
      .catch((err) =>
        ctx.logger.error({ err, attemptId: claimed.id }, 'webhook attempt could not be recorded'),
      )
      .finally(() => {
        inFlight.delete(claimed.id);
        void pump();
      });
    inFlight.set(claimed.id, task);
  };

  /** Gives leases back (fire and forget: a lease left behind only expires later). */
  const release = (ids: string[]) => {
    if (ids.length === 0) return Promise.resolve();
    return ctx.attempts
      .release(ids, owner)
      .catch((err) => ctx.logger.warn({ err }, 'webhook leases could not be given back; they expire'));
  };

  /** Sends from the ready list into the free slots; an attempt its lease cannot cover goes back. */
  const startReady = () => {
    const stale: string[] = [];
    while (ready.length > 0 && inFlight.size < options.concurrency) {
      const { attempt, leaseUntil } = ready.shift()!;
      if (leaseUntil - ctx.now() <= ctx.timeoutMs) stale.push(attempt.id);
      else send(attempt);
    }
    void release(stale);
  };

  /** Claims pages into the free slots until nothing more is due; returns how many it claimed. */
  const claimRound = async (): Promise<number> => {
    let claimed = 0;
    startReady();
    while (running && inFlight.size < options.concurrency && ready.length === 0) {
      const now = ctx.now();
      const leaseUntil = now + options.leaseMs;
      const batch = await ctx.attempts.claimDue(
        new Date(now).toISOString(),
        new Date(leaseUntil).toISOString(),
        owner,
        options.concurrency,
      );
      if (!running) {
        await release(batch.map((a) => a.id));
        break;
      }
      for (const attempt of batch) ready.push({ attempt, leaseUntil });
      claimed += batch.length;
      startReady();
      if (batch.length === 0) break;
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
        schedulePoll();
      }
      return total;
    })();
    return pumping;
  }

  void pump();

  return {
    wake() {
      void pump();
    },
    async flush() {
      const before = sent;
      for (;;) {
        const claimed = await pump();
        if (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
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
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
      clearTimeout(grace);
    },
  };
}
