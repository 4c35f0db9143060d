import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from '../errors/respond.js';
import type { ServerEnv } from '../server-env.js';

/** Options for {@link bodyDeadline}. */
export interface BodyDeadlineOptions {
  /** Time from the request's headers to the last byte of its body (`REQUEST_BODY_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Requests that keep their own rules (the streamed upload has a minimum rate instead). */
  exempt?: (c: Context<ServerEnv>) => boolean;
}

/**
 * A deadline for request bodies (slow-body guard). A request whose body has not fully
 * arrived `timeoutMs` after its headers is answered 408 `REQUEST_TIMEOUT` with
 * `Connection: close`, and its connection is closed once the answer is flushed. Only the body
 * is timed: a handler still working after the last byte arrived is not cut off, and a
 * request whose body is complete on arrival costs nothing.
 *
 * @example
 * ```ts
 * app.use(bodyDeadline({ timeoutMs: 30_000, exempt: (c) => c.req.path === '/api/v1/files' }));
 * ```
 */
export function bodyDeadline(options: BodyDeadlineOptions): MiddlewareHandler<ServerEnv> {
  const { timeoutMs } = options;
  return async (c, next) => {
    const incoming = c.env?.incoming;
    if (!incoming || incoming.complete || options.exempt?.(c)) return next();

    let handled = false;
    let timer: NodeJS.Timeout | undefined;
    const bodyDone = () => clearTimeout(timer);
    incoming.once('end', bodyDone);
    incoming.once('close', bodyDone);
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => {
        incoming.off('end', bodyDone);
        incoming.off('close', bodyDone);
        if (incoming.complete) return;
        // Answered already (without reading the body), but the body still trickles in.
        if (handled) incoming.socket?.destroy();
        else resolve('expired');
      }, timeoutMs);
      timer.unref();
    });
    const handling = next().then(() => 'handled' as const);
    // The handler goes on in the background after a timeout; it must not become an unhandled rejection.
    handling.catch(() => {});
    const outcome = await Promise.race([handling, expired]);
    if (outcome === 'handled') {
      handled = true;
      return;
    }
    const socket = incoming.socket;
    c.env.outgoing.once('finish', () => socket?.destroy());
    const error = new FileForgeError(
      ErrorCode.REQUEST_TIMEOUT,
      `The request body did not arrive within ${timeoutMs} ms`,
      { details: { timeoutMs } },
    );
    return errorResponse(c, error, { Connection: 'close' });
  };
}
