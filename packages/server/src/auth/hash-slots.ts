/**
 * A bound on password hashes in flight. bcrypt runs on libuv's thread pool, which Node also
 * uses for file I/O, DNS lookups and zlib: an unbounded flood of logins would queue every
 * `fs` call behind seconds of hashing. At most `concurrency` hashes run at once, at most
 * `queue` more wait for a slot, and anything beyond is refused at once with 503 `BUSY`
 * (`Retry-After`), which costs the server nothing.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Options for {@link createHashSlots}. */
export interface HashSlotsOptions {
  /**
   * Hashes that may run at once (PASSWORD_HASH_CONCURRENCY). Each occupies one libuv thread
   * for the whole hash, so the default leaves at least two of the pool's threads to file I/O.
   * @default min(os.availableParallelism(), UV_THREADPOOL_SIZE − 2), at least 1
   */
  concurrency?: number;
  /**
   * Hashes that may wait for a slot; more are refused with `BUSY`. A small queue absorbs a
   * burst of real logins; a long one only makes every caller wait longer.
   * @default 4 × concurrency
   */
  queue?: number;
  /** Seconds a refused caller is told to wait (`Retry-After`). @default 1 */
  retryAfterSeconds?: number;
}

/** Runs hashing work inside the bound. */
export interface HashSlots {
  /** Runs `work` once a slot is free; throws `BUSY` when every slot and queue place is taken. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Hashes running now. */
  readonly running: number;
  /** Hashes waiting for a slot now. */
  readonly waiting: number;
}

/** The default concurrency: the cores, but never the whole libuv pool (4 threads unless set). */
export function defaultHashConcurrency(): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(availableParallelism(), pool - 2));
}

const invalid = (message: string) =>
  new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:auth] ${message}`);

/**
 * Creates the bound.
 *
 * @example
 * ```ts
 * const slots = createHashSlots({ concurrency: 2, queue: 8 });
 * const hash = await slots.run(() => bcrypt.hash(password, 12));
 * ```
 */
export function createHashSlots(options: HashSlotsOptions = {}): HashSlots {
  const concurrency = options.concurrency ?? defaultHashConcurrency();
  const queue = options.queue ?? 4 * concurrency;
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw invalid(`Password hash concurrency must be a positive integer, got ${concurrency}`);
  if (!Number.isInteger(queue) || queue < 0)
    throw invalid(`Password hash queue must be a non-negative integer, got ${queue}`);

  let running = 0;
  const waiters: Array<() => void> = [];
  const release = () => {
    const next = waiters.shift();
    if (next) next();
    else running--;
  };

  return {
    get running() {
      return running;
    },
    get waiting() {
      return waiters.length;
    },
    async run(work) {
      if (running >= concurrency) {
        if (waiters.length >= queue) {
          throw new FileForgeError(ErrorCode.BUSY, '[fileforge:auth] Too many password checks in flight', {
            details: { retryAfterSeconds },
          });
        }
        // The slot is handed over by release(), so `running` already counts this caller.
        await new Promise<void>((resolve) => waiters.push(resolve));
      } else {
        running++;
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
