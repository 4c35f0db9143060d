/**
 * Login failure records in Redis, shared by every server process: one hash per login name
 * (`failures`, `lockedUntil`, `lastFailureAt`), expiring a forget window after its last
 * failure. Counting is atomic (`HINCRBY` in a script), so failures arriving at different
 * processes add up. While Redis cannot be reached, the process's in-memory store answers.
 *
 * @module
 */
import { once } from 'node:events';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { Redis } from 'ioredis';
import type { FailureRecord, FailureStore } from './login-throttle.js';

/** Options for {@link createRedisFailureStore}. */
export interface RedisFailureStoreOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Prefix of every key. */
  keyPrefix: string;
  /** A record expires this long after its last failure. */
  forgetAfterMs: number;
  /** Answers while Redis is out (per process). */
  insurance: FailureStore;
  /** Hears Redis errors. @default ignore */
  onError?: (error: Error) => void;
}

/** A Redis that hangs must not hang logins: the insurance store answers instead. */
const REDIS_TIMEOUT_MS = 1_000;

/** KEYS[1] the name's hash; ARGV: failedAt, forgetAfterMs. Returns the failure count. */
const FAIL = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'lastFailureAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return failures`;

/** KEYS[1] the name's hash; ARGV: lockedUntil. Only ever moves the lock-out later. */
const LOCK = `
local current = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
if current < tonumber(ARGV[1]) then redis.call('HSET', KEYS[1], 'lockedUntil', ARGV[1]) end
return 1`;

/** Creates the Redis failure store (the connection opens at once; see `ready`). */
export function createRedisFailureStore(options: RedisFailureStoreOptions): FailureStore {
  const { insurance, forgetAfterMs } = options;
  const host = new URL(options.url).host;
  // Offline queue off: commands fail fast (and fall back to memory) while Redis is down.
  const client = new Redis(options.url, { enableOfflineQueue: false, commandTimeout: REDIS_TIMEOUT_MS });
  client.on('error', (error: Error) => options.onError?.(error));
  const key = (name: string) => `${options.keyPrefix}:${name}`;

  /** Runs `shared` in Redis; on any Redis error reports it and runs `fallback` instead. */
  async function orInsurance<T>(shared: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    try {
      return await shared();
    } catch (error) {
      options.onError?.(error as Error);
      return fallback();
    }
  }

  return {
    read: (name, at) =>
      orInsurance(
        async (): Promise<FailureRecord> => {
          const hash = await client.hgetall(key(name));
          const record = {
            failures: Number(hash.failures ?? 0),
            lockedUntil: Number(hash.lockedUntil ?? 0),
            lastFailureAt: Number(hash.lastFailureAt ?? 0),
          };
          // Redis expires records by its own clock; this honours the caller's clock too.
          if (record.failures > 0 && at - record.lastFailureAt > forgetAfterMs) {
            await client.del(key(name));
            return { failures: 0, lockedUntil: 0, lastFailureAt: 0 };
          }
          return record;
        },
        () => insurance.read(name, at),
      ),
    fail: (name, failedAt, lockFor) =>
      orInsurance(
        async () => {
          const failures = Number(
            await client.eval(FAIL, 1, key(name), String(failedAt), String(forgetAfterMs)),
          );
          const lock = lockFor(failures);
          if (lock > 0) await client.eval(LOCK, 1, key(name), String(failedAt + lock));
        },
        () => insurance.fail(name, failedAt, lockFor),
      ),
    clear: (name) =>
      orInsurance(
        async () => {
          await client.del(key(name));
          await insurance.clear(name);
        },
        () => insurance.clear(name),
      ),
    async ready() {
      if (client.status === 'ready') return;
      if (client.status === 'end')
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          `[fileforge:auth] The connection to ${host} is closed`,
        );
      await once(client, 'ready').catch((error: Error) => {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          `[fileforge:auth] Cannot reach the login throttle store (${host}): ${error.message}; is Redis running?`,
        );
      });
    },
    async close() {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else if (client.status !== 'end') client.disconnect();
    },
  };
}
