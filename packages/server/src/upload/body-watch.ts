import type { IncomingMessage } from 'node:http';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { createRateWatch } from './min-rate.js';

/** Options for {@link watchUploadBody}. */
export interface BodyWatchOptions {
  /** A body that sends nothing for this long times out. */
  idleTimeoutMs: number;
  /** Average rate an upload must keep up (`UPLOAD_MIN_BYTES_PER_S`); `0` disables the check. */
  minBytesPerSecond: number;
  /** Client time the rate is averaged over (`UPLOAD_RATE_WINDOW_MS`). */
  rateWindowMs: number;
  /** Injectable monotonic clock in milliseconds. @default performance.now */
  now?: () => number;
}

/**
 * An upload's watch with the server's defaults filled in: 60 s idle, 1 KiB/s averaged over
 * 10 s (`UPLOAD_IDLE_TIMEOUT_MS`, `UPLOAD_MIN_BYTES_PER_S`, `UPLOAD_RATE_WINDOW_MS`).
 */
export function uploadWatch(options: {
  idleTimeoutMs?: number | undefined;
  minBytesPerSecond?: number | undefined;
  rateWindowMs?: number | undefined;
}): BodyWatchOptions {
  return {
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    minBytesPerSecond: options.minBytesPerSecond ?? 1024,
    rateWindowMs: options.rateWindowMs ?? 10_000,
  };
}

/** The server is not waiting for the client while it has paused the request itself (backpressure). */
const serverPaused = (incoming: IncomingMessage) => incoming.readableFlowing === false;

/**
 * Watches an upload body until it ends: `onTimeout` is called (once) with a 408
 * `REQUEST_TIMEOUT` error when the client sends nothing for `idleTimeoutMs`, or averages
 * less than `minBytesPerSecond` over `rateWindowMs` of the time the server was waiting for
 * it. Returns `stop()`; the watch also stops by itself when the body ends.
 */
export function watchUploadBody(
  incoming: IncomingMessage,
  options: BodyWatchOptions,
  onTimeout: (error: FileForgeError) => void,
): () => void {
  const { idleTimeoutMs, minBytesPerSecond, rateWindowMs } = options;
  const rate = createRateWatch({
    minBytesPerSecond,
    windowMs: rateWindowMs,
    ...(options.now ? { now: options.now } : {}),
  });
  let stopped = false;
  let idle: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(idle);
    clearInterval(ticker);
    incoming.off('data', onData);
    incoming.off('end', stop);
  };
  const timeOut = (message: string, details: Record<string, unknown>) => {
    stop();
    onTimeout(new FileForgeError(ErrorCode.REQUEST_TIMEOUT, message, { details }));
  };
  // One timer per body, pushed back by every read (`refresh()`, no new timer per 64 KiB read).
  const armIdle = () => {
    if (stopped) return;
    if (idle) {
      idle.refresh();
      return;
    }
    idle = setTimeout(() => {
      // A request the server paused sends nothing because of the server: not an idle client.
      if (serverPaused(incoming)) armIdle();
      else timeOut(`No upload data received for ${idleTimeoutMs} ms`, { idleTimeoutMs });
    }, idleTimeoutMs);
    idle.unref();
  };
  function onData(chunk: Buffer) {
    rate.received(chunk.length);
    armIdle();
  }

  incoming.on('data', onData);
  incoming.once('end', stop);
  armIdle();
  if (minBytesPerSecond > 0) {
    const tickMs = Math.min(1000, Math.max(10, Math.floor(rateWindowMs / 5)));
    ticker = setInterval(() => {
      const slow = rate.sample(!serverPaused(incoming));
      if (slow)
        timeOut(`Upload slower than ${minBytesPerSecond} bytes/s over ${slow.windowMs} ms`, {
          minBytesPerSecond,
          windowMs: slow.windowMs,
          bytesPerSecond: slow.bytesPerSecond,
        });
    }, tickMs);
    ticker.unref();
  }
  return stop;
}
