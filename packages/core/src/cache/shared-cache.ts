/**
 * A small key-value cache through keyv: in this process's memory by default, in Redis
 * (`@keyv/redis`, loaded on first use) when a URL is given, so every instance of a deployment
 * reads and invalidates the same entries. What FileForge keeps here is only what must agree
 * across instances (e.g. the generation of a tenant's webhook subscriptions); caches that are
 * a per-process optimisation with their own invalidation stay in memory.
 *
 * @module
 */
import type { Keyv } from 'keyv';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { TimeoutError, withTimeout } from '../resilience/timeout.js';

/** A cache shared by the instances that open it on the same store and namespace. */
export interface SharedCache {
  /** `memory` (this process) or `redis` (shared). */
  readonly kind: 'memory' | 'redis';
  /** The value, or `undefined` when absent or expired. Rejects when Redis cannot be reached or does not answer in time. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON-serialisable value, expiring after `ttlMs` when given. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Round trip to the store (health checks); resolves at once in memory. */
  ping(): Promise<void>;
  /** Closes the Redis connection, if one was opened; later calls reject instead of reconnecting. */
  close(): Promise<void>;
}

/** Options for {@link createSharedCache}. */
export interface SharedCacheOptions {
  /** REDIS_URL (`redis://…`, `rediss://…`): shared by every instance. @default none: this process's memory */
  url?: string;
  /** Prefix of the keys, so deployments (and test runs) sharing a Redis keep apart. @default 'fileforge' */
  namespace?: string;
  /**
   * How long a call waits for Redis before it rejects (`STORAGE_UNAVAILABLE`): a Redis that is
   * down, restarting or not answering makes callers fall back to their source of truth within
   * this time instead of waiting for it. @default 1000
   */
  timeoutMs?: number;
}

/**
 * Creates a cache (see the module comment). Bad options throw `INVALID_CONFIG` here; Redis
 * is connected on first use, and a failing Redis makes the calls reject within `timeoutMs`
 * (callers fall back to their source of truth), never answer stale data silently.
 *
 * @example
 * ```ts
 * const cache = createSharedCache({ url: process.env.REDIS_URL, namespace: 'fileforge:webhooks' });
 * await cache.set('endpoints:default', 'v2');
 * ```
 */
export function createSharedCache(options: SharedCacheOptions = {}): SharedCache {
  const { url } = options;
  if (url !== undefined && !/^rediss?:\/\//.test(url)) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:cache] "url" must start with redis:// or rediss://, got "${url.replace(/\/\/[^@/]*@/, '//')}"`,
    );
  }
  const namespace = options.namespace ?? 'fileforge';
  let opened: Promise<Keyv> | undefined;
  let closed = false;
  const keyv = () => {
    // A call after close() (an event delivered while its service shuts down) must not open a
    // new connection that nothing would close and that would keep the process alive.
    if (closed)
      return Promise.reject(new FileForgeError(ErrorCode.INTERNAL, '[fileforge:cache] Cache is closed'));
    opened ??= (async () => {
      if (!url) {
        const { Keyv } = await import('keyv');
        return new Keyv({ namespace });
      }
      const { createKeyv } = await import('@keyv/redis');
      // Commands asked for while disconnected fail at once rather than wait in a queue for a
      // Redis that may not come back (and pile up meanwhile).
      const store = createKeyv(
        { url, disableOfflineQueue: true },
        {
          namespace,
          throwOnConnectError: true,
          throwOnErrors: true,
          connectionTimeout: 1_000,
        },
      );
      store.throwOnErrors = true;
      store.on('error', () => {}); // reported by the call that failed
      return store;
    })();
    return opened;
  };
  const timeoutMs = options.timeoutMs ?? 1_000;
  /** `work` on the store, rejected once it has taken `timeoutMs` (a Redis not answering). */
  const bounded = <T>(work: (k: Keyv) => Promise<T>): Promise<T> =>
    url
      ? withTimeout(() => keyv().then(work), timeoutMs).catch((error: unknown) => {
          if (!(error instanceof TimeoutError)) throw error;
          throw new FileForgeError(
            ErrorCode.STORAGE_UNAVAILABLE,
            `[fileforge:cache] Redis did not answer within ${timeoutMs} ms`,
            { cause: error },
          );
        })
      : keyv().then(work);
  return {
    kind: url ? 'redis' : 'memory',
    get<T>(key: string) {
      return bounded(async (k) => ((await k.get(key)) as T | undefined) ?? undefined);
    },
    async set(key, value, ttlMs) {
      await bounded((k) => k.set(key, value, ttlMs));
    },
    async delete(key) {
      await bounded((k) => k.delete(key));
    },
    async ping() {
      if (!url) return;
      await bounded((k) => k.has('__ping__'));
    },
    async close() {
      closed = true;
      if (!opened) return;
      const k = await opened.catch(() => undefined);
      opened = undefined;
      if (!k) return;
      // A Redis that does not answer never acknowledges a QUIT: the connection is then dropped.
      const quit = bounded(() => k.disconnect()).then(
        () => true,
        () => false,
      );
      if (!(await quit)) await (k.store as { disconnect?(force: boolean): Promise<void> }).disconnect?.(true);
    },
  };
}
