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

/** A cache shared by the instances that open it on the same store and namespace. */
export interface SharedCache {
  /** `memory` (this process) or `redis` (shared). */
  readonly kind: 'memory' | 'redis';
  /** The value, or `undefined` when absent or expired. Rejects when Redis cannot be reached. */
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
}

/**
 * Creates a cache (see the module comment). Bad options throw `INVALID_CONFIG` here; Redis
 * is connected on first use, and a failing Redis makes the calls reject (callers fall back
 * to their source of truth), never answer stale data silently.
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
      const store = createKeyv(url, {
        namespace,
        throwOnConnectError: true,
        throwOnErrors: true,
        connectionTimeout: 1_000,
      });
      store.throwOnErrors = true;
      store.on('error', () => {}); // reported by the call that failed
      return store;
    })();
    return opened;
  };
  return {
    kind: url ? 'redis' : 'memory',
    async get<T>(key: string) {
      return ((await (await keyv()).get(key)) as T | undefined) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await (await keyv()).set(key, value, ttlMs);
    },
    async delete(key) {
      await (await keyv()).delete(key);
    },
    async ping() {
      if (!url) return;
      const k = await keyv();
      await k.has('__ping__');
    },
    async close() {
      closed = true;
      if (!opened) return;
      const k = await opened.catch(() => undefined);
      opened = undefined;
      await k?.disconnect().catch(() => {});
    },
  };
}
