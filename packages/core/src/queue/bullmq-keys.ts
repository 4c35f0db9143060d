/**
 * The `key` semantics of {@link EnqueueOptions.key} on top of BullMQ, kept in one small Redis
 * hash per key (`<prefix>:<queue>:fileforge-key:<key>`) and changed only by the Lua scripts
 * below, so every instance sharing the Redis sees one state:
 *
 * - `pending`: the id of the key's job that has not started yet. An enqueue reuses it while
 *   that job is still to run (BullMQ adds nothing for an id it already has), else picks a new id.
 *   A pending job can end without our handler ever starting it — BullMQ fails a job that
 *   stalled too often on its next fetch, an attempt can fail before the key's run is claimed,
 *   or someone fails or removes it by hand — so a pending id whose job is finished (has
 *   `finishedOn`), or gone once its reservation has lapsed, counts as no pending job.
 * - `run`: the id of the key's job whose handler runs. Another job of the key starts only when
 *   `run` is empty, its own, or names a job whose BullMQ lock is gone (its holder died).
 *
 * A job moves `pending` → `run` when its handler starts; a retry or a hand-back puts it back in
 * `pending` unless a newer pending job exists (then a failed retry is superseded); the hash is
 * deleted once the key has neither. BullMQ's own keys are read, never written, here.
 *
 * @module
 */
import type { Redis } from 'ioredis';

/** Marks a job's data as belonging to a key. */
export interface KeyedJobData {
  payload: Record<string, unknown>;
  key: string | null;
}

/**
 * Lua, shared by the scripts below (ARGV[1] is the job prefix): the key's pending id while its
 * job is still to run, or does not exist yet but was reserved after `reservedAfter` (its add may
 * be in flight); otherwise false, and the stale id is dropped.
 */
const LIVE_PENDING = `
local function livePending(reservedAfter)
  local pending = redis.call('HGET', KEYS[1], 'pending')
  if not pending then return false end
  local job = ARGV[1] .. pending
  if redis.call('EXISTS', job) == 1 then
    if redis.call('HEXISTS', job, 'finishedOn') == 0 then return pending end
  elseif reservedAfter and tonumber(redis.call('HGET', KEYS[1], 'pendingAt') or '0') > reservedAfter then
    return pending
  end
  redis.call('HDEL', KEYS[1], 'pending', 'pendingAt')
  return false
end`;

const RESERVE = `${LIVE_PENDING}
local pending = livePending(tonumber(ARGV[3]))
if pending then return pending end
redis.call('HSET', KEYS[1], 'pending', ARGV[2], 'pendingAt', ARGV[4])
return ARGV[2]`;

const IS_PENDING = `return redis.call('HGET', KEYS[1], 'pending') == ARGV[1] and 1 or 0`;

const START = `
local run = redis.call('HGET', KEYS[1], 'run')
if run and run ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. run .. ':lock') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'run', ARGV[2])
if redis.call('HGET', KEYS[1], 'pending') == ARGV[2] then redis.call('HDEL', KEYS[1], 'pending', 'pendingAt') end
return 1`;

// Only a pending job already added supersedes the retry: a reservation's add may never happen.
const REQUEUE = `${LIVE_PENDING}
if redis.call('HGET', KEYS[1], 'run') == ARGV[2] then redis.call('HDEL', KEYS[1], 'run') end
local pending = livePending(nil)
if pending and pending ~= ARGV[2] then return pending end
redis.call('HSET', KEYS[1], 'pending', ARGV[2], 'pendingAt', ARGV[3])
return false`;

const FINISH = `${LIVE_PENDING}
if redis.call('HGET', KEYS[1], 'run') == ARGV[2] then redis.call('HDEL', KEYS[1], 'run') end
local pending = livePending(tonumber(ARGV[3]))
if not redis.call('HGET', KEYS[1], 'run') and not pending then redis.call('DEL', KEYS[1]) end
return pending`;

/** How long a freshly reserved id counts as pending before its job exists (its add in flight). */
const RESERVATION_MS = 10_000;

/** The key-state operations of one BullMQ queue (`jobPrefix` = `<prefix>:<queue>:`). */
export function createKeyState(jobPrefix: string) {
  const hash = (key: string) => `${jobPrefix}fileforge-key:${key}`;
  const run = (client: Redis, script: string, key: string, ...args: Array<string | number>) =>
    client.eval(script, 1, hash(key), jobPrefix, ...args);
  return {
    /** The pending job id the key's next enqueue must add (`candidate` when none is pending). */
    async reserve(client: Redis, key: string, candidate: string, now: number): Promise<string> {
      return String(await run(client, RESERVE, key, candidate, now - RESERVATION_MS, now));
    },
    /** True while `id` is still the key's pending job (not started since). */
    async isPending(client: Redis, key: string, id: string): Promise<boolean> {
      return (await client.eval(IS_PENDING, 1, hash(key), id)) === 1;
    },
    /** Marks `id` as the key's running job; false while another job of the key runs. */
    async start(client: Redis, key: string, id: string): Promise<boolean> {
      return (await run(client, START, key, id)) === 1;
    },
    /**
     * The run of `id` goes back to pending (retry or hand-back). Returns the id of a newer
     * pending job of the key if there is one (then `id` stays out of `pending`), else null.
     */
    async requeue(client: Redis, key: string, id: string, now: number): Promise<string | null> {
      const pending = await run(client, REQUEUE, key, id, now);
      return typeof pending === 'string' ? pending : null;
    },
    /** The run of `id` is over; returns the key's pending job id (to promote), if any. */
    async finish(client: Redis, key: string, id: string, now: number): Promise<string | null> {
      const pending = await run(client, FINISH, key, id, now - RESERVATION_MS);
      return typeof pending === 'string' ? pending : null;
    },
  };
}

/** The key's part of a job id: BullMQ refuses `:` in custom ids, so it is escaped (`%3A`). */
export const keyedJobId = (key: string, unique: string) =>
  `${key.replaceAll('%', '%25').replaceAll(':', '%3A')}#${unique}`;
