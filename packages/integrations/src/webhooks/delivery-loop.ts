/**
 * The sender: claims due attempts from the catalog (the queue) with a lease and sends them,
 * at most `concurrency` at once, so one endpoint's retries never hold up other messages and
 * memory holds at most `concurrency` messages however long the queue is. It claims again as
 * soon as a slot frees, when woken (a new message) and every `pollIntervalMs`. Its timer is
 * unref'd and cleared at `close()`, which waits for the sends in flight (each bounded by the
 * request timeout), aborting them after `closeGraceMs`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { type DeliveryContext, deliverAttempt } from './deliver.js';

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
  const abort = new AbortController();
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

  const send = (claimed: Parameters<typeof deliverAttempt>[1]) => {
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

  /** Claims into the free slots until nothing more is due; returns how many it claimed. */
  const claimRound = async (): Promise<number> => {
    let claimed = 0;
    while (running && inFlight.size < options.concurrency) {
      const now = ctx.now();
      const batch = await ctx.attempts.claimDue(
        new Date(now).toISOString(),
        new Date(now + options.leaseMs).toISOString(),
        owner,
        options.concurrency - inFlight.size,
      );
      for (const attempt of batch) send(attempt);
      claimed += batch.length;
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
      const grace = setTimeout(() => abort.abort(), options.closeGraceMs);
      grace.unref();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
      clearTimeout(grace);
    },
  };
}
