/**
 * Minimum upload rate.
 *
 * How this works: the upload samples itself a few times per window. Each sample adds the
 * time since the previous one to the *client's time* only if the server was waiting for
 * bytes (the request was flowing); time the server itself paused the request (backpressure
 * from storage, a file not yet being read) is not the client's fault and is not counted. Once
 * at least `windowMs` of client time has passed, the bytes received over the most recent
 * `windowMs` of client time must average `minBytesPerSecond`, or the upload is too slow.
 *
 * @module
 */

/** Options for {@link createRateWatch}. */
export interface RateWatchOptions {
  /** Average rate below which an upload is refused. `0` disables the check. */
  minBytesPerSecond: number;
  /** Span of client time the average is taken over; a short stall inside it is forgiven. */
  windowMs: number;
  /** Injectable clock (milliseconds, monotonic). @default performance.now */
  now?: () => number;
}

/** A slow upload: the rate it achieved over the window. */
export interface SlowVerdict {
  bytesPerSecond: number;
  windowMs: number;
}

/** What {@link createRateWatch} returns. */
export interface RateWatch {
  /** Counts bytes as they arrive. */
  received(bytes: number): void;
  /**
   * Takes a sample. `waiting` says whether the server was ready for bytes since the last
   * sample. Returns a verdict once the client's average over the window is too low.
   */
  sample(waiting: boolean): SlowVerdict | undefined;
}

type Sample = { clientMs: number; bytes: number };

/** Watches one upload's average rate over a sliding window of the client's time. */
export function createRateWatch(options: RateWatchOptions): RateWatch {
  const now = options.now ?? (() => performance.now());
  const { minBytesPerSecond, windowMs } = options;
  let bytes = 0;
  let clientMs = 0;
  let last = now();
  let samples: Sample[] = [{ clientMs: 0, bytes: 0 }];
  return {
    received(count) {
      bytes += count;
    },
    sample(waiting) {
      const at = now();
      if (waiting) clientMs += at - last;
      last = at;
      if (minBytesPerSecond <= 0) return undefined;
      samples.push({ clientMs, bytes });
      // The newest sample at least a window of client time back is where the average starts.
      let start = -1;
      for (let i = samples.length - 1; i >= 0; i--) {
        if (clientMs - samples[i]!.clientMs >= windowMs) {
          start = i;
          break;
        }
      }
      if (start < 0) return undefined;
      samples = samples.slice(start);
      const from = samples[0]!;
      const bytesPerSecond = ((bytes - from.bytes) * 1000) / (clientMs - from.clientMs);
      return bytesPerSecond < minBytesPerSecond
        ? { bytesPerSecond: Math.round(bytesPerSecond), windowMs }
        : undefined;
    },
  };
}
