/**
 * Locks in Redis, shared by every instance that uses the same Redis and prefix.
 *
 * How this works: a lock is the key `<prefix><key>` holding the owner's random token, set with
 * `SET … NX PX ttl` (only when absent, expiring by itself); renewal and release are Lua
 * scripts that compare the token before `PEXPIRE` / `DEL`, so only the owner can extend or
 * release it, atomically. The fence number is `INCR <prefix>fence`, taken in the same script
 * as the grant. A grant whose answer was lost is never left holding the key for nobody: the
 * command sent again after a reconnect finds its own token and is granted, and an acquire that
 * fails gives its token back (see `lock-manager.ts`). One Redis (not Redlock over several): a failover that loses a just-written
 * lock can grant it twice, which the callers' own compare-and-set tolerates (see
 * `lock-manager.ts`).
 *
 * Release requests (`askRelease`) are published on the channel `<prefix>release`; a manager
 * whose process registered a handler (`onReleaseAsked`) listens there on a second connection,
 * opened with the first handler.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type LockManager, type LockPrimitives, lockManagerOf } from './lock-manager.js';

/** Options for {@link createRedisLockManager}. */
export interface RedisLockManagerOptions {
  /** `redis://…` / `rediss://…` (REDIS_URL). Either this or `client`. */
  url?: string;
  /** An ioredis client to use (not closed by `close()`). */
  client?: Redis;
  /** Prefix of every key, so deployments (and test runs) sharing a Redis keep apart. @default 'fileforge:lock:' */
  prefix?: string;
  /**
   * How long a lock command waits for Redis's answer before it fails with `LOCKS_UNAVAILABLE`
   * (a Redis that holds the connection and answers nothing: stopped, paused, cut off). Not
   * applied to `client`. @default 2000
   */
  commandTimeoutMs?: number;
}

// A key already holding this token is this acquire's own grant whose answer was lost (the
// client sent the command again after a reconnect): granted again, with a new fence.
const ACQUIRE = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return redis.call('incr', KEYS[2])
end
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return redis.call('incr', KEYS[2])
end
return 0`;

const RENEW = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

function invalid(message: string): FileForgeError {
  return new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:locks] ${message}`);
}

/**
 * Creates a lock manager over Redis. ioredis is loaded (and the connection opened) on first
 * use; bad options throw `INVALID_CONFIG` here. A Redis that cannot be reached makes
 * `acquire` reject with `LOCKS_UNAVAILABLE` (never a silent grant).
 *
 * @example
 * ```ts
 * const locks = createRedisLockManager({ url: process.env.REDIS_URL });
 * await locks.withLock(`sort:${fileId}`, () => move(fileId), { ttlMs: 30_000 });
 * ```
 */
export function createRedisLockManager(options: RedisLockManagerOptions): LockManager {
  if (!options.client && !options.url) throw invalid('Either "url" or "client" is required');
  if (options.url && !/^rediss?:\/\//.test(options.url)) {
    throw invalid(
      `"url" must start with redis:// or rediss://, got "${options.url.replace(/\/\/[^@/]*@/, '//')}"`,
    );
  }
  const prefix = options.prefix ?? 'fileforge:lock:';
  /** The channel of release requests (see `LockManager.askRelease`); its messages are keys. */
  const releases = `${prefix}release`;
  const connect = () =>
    import('ioredis').then(
      ({ Redis }) =>
        new Redis(options.url as string, {
          // A lock call fails fast while Redis is away instead of queueing for long.
          maxRetriesPerRequest: 1,
          connectTimeout: 5_000,
          commandTimeout: options.commandTimeoutMs ?? 2_000,
        }).on('error', () => {}), // reported by the commands that fail; ioredis reconnects
    );
  let client: Promise<Redis> | undefined;
  const redis = () => {
    client ??= options.client ? Promise.resolve(options.client) : connect();
    return client;
  };
  /** The connection listening for release requests (a subscribed connection runs nothing else). */
  let subscriber: Promise<Redis | undefined> | undefined;
  const host = options.url ? new URL(options.url).host : 'the given client';
  /** Runs a command; a Redis that fails becomes `LOCKS_UNAVAILABLE` (503 at the server). */
  const call = async <T>(command: (client: Redis) => Promise<T>): Promise<T> => {
    try {
      return await command(await redis());
    } catch (error) {
      throw new FileForgeError(
        ErrorCode.LOCKS_UNAVAILABLE,
        `[fileforge:locks] Redis at ${host} did not answer`,
        {
          cause: error,
        },
      );
    }
  };
  const store: LockPrimitives = {
    kind: 'redis',
    async tryAcquire(key, token, ttlMs) {
      const fence = (await call((c) =>
        c.eval(ACQUIRE, 2, prefix + key, `${prefix}fence`, token, ttlMs),
      )) as number;
      return fence > 0 ? { fence } : null;
    },
    async renew(key, token, ttlMs) {
      return ((await call((c) => c.eval(RENEW, 1, prefix + key, token, ttlMs))) as number) === 1;
    },
    async release(key, token) {
      return ((await call((c) => c.eval(RELEASE, 1, prefix + key, token))) as number) === 1;
    },
    async publishRelease(key) {
      await call((c) => c.publish(releases, key));
    },
    subscribeReleases(deliver) {
      subscriber = (
        options.client ? Promise.resolve(options.client.duplicate().on('error', () => {})) : connect()
      ).then(
        (sub) => {
          sub.on('message', (channel: string, key: string) => {
            if (channel === releases) deliver(key);
          });
          // Resubscribed by ioredis after a reconnect. Unsubscribed, requests go unheard and the
          // holders' locks fall free at their TTL, as they did before requests existed.
          sub.subscribe(releases).catch(() => {});
          return sub;
        },
        () => undefined,
      );
    },
    async ping() {
      await call((c) => c.ping());
    },
    async close() {
      const listening = subscriber;
      subscriber = undefined;
      if (listening) {
        const sub = await listening;
        await sub?.quit().catch(() => sub.disconnect());
      }
      if (!client || options.client) return;
      const opened = await client;
      client = undefined;
      await opened.quit().catch(() => opened.disconnect());
    },
  };
  return lockManagerOf(store, randomUUID);
}
