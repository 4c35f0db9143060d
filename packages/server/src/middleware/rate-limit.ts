import { once } from 'node:events';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { Context, MiddlewareHandler } from 'hono';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { errorResponse } from '../errors/respond.js';
import { type ClientAddressing, createClientAddressing, ipKey } from '../http/client-address.js';

/** A parsed `RATELIMIT_DEFAULT`: `points` requests per window of `windowSeconds`. */
export type RateRule = { points: number; windowSeconds: number };

/** Options for {@link createRateLimit}. */
export interface RateLimitOptions {
  /** `"<n> per <second|minute|hour|day>"` (`RATELIMIT_DEFAULT`), e.g. `"100 per minute"`. */
  rule: string;
  /**
   * `RATELIMIT_STORAGE_URL`. `redis://` / `rediss://` shares atomic counters between all server
   * processes; `memory://` counts per process, so N processes allow N times the rule. @default 'memory://'
   */
  storageUrl?: string;
  /**
   * Who the client is: addresses or CIDR ranges (`10.0.0.0/8`) of reverse proxies whose
   * `X-Forwarded-For` is believed; anyone else's is ignored, or every request could claim a
   * fresh address. A list, or the server's one {@link ClientAddressing}. @default [] (the socket peer)
   */
  trustedProxies?: string[] | ClientAddressing;
  /** Prefix of every counter key, to keep limiters apart in one Redis. @default 'fileforge:rl' */
  keyPrefix?: string;
  /**
   * IPv6 clients are counted per network of this prefix length: a subscriber usually holds a
   * whole /56 (or /48), and rotating within it must not buy fresh buckets. @default 56
   */
  ipv6Subnet?: number;
  /** Hears Redis connection errors (the in-memory insurance limiter counts meanwhile). @default ignore */
  onStoreError?: (error: Error) => void;
}

/** What {@link createRateLimit} returns. */
export interface RateLimit {
  /** Counts each request against the caller's bucket; mount it after authentication. */
  middleware: MiddlewareHandler;
  /**
   * For requests exempt from the limit while they do what they are exempt for: lets the request
   * through uncounted, then counts it if `counts(c)` says its answer was a refusal (a tus chunk
   * for no upload of the caller's); one that goes over the limit is answered 429 instead.
   */
  countAnsweredIf(counts: (c: Context) => boolean): MiddlewareHandler;
  /** Resolves once the store is connected; rejects (`INVALID_CONFIG`) if Redis cannot be reached. */
  ready(): Promise<void>;
  /** Disconnects from Redis. */
  close(): Promise<void>;
}

const WINDOW_SECONDS = { second: 1, minute: 60, hour: 3_600, day: 86_400 } as const;
/** A Redis that hangs must not hang every request: the insurance limiter answers instead. */
const REDIS_TIMEOUT_MS = 1_000;

const invalid = (message: string) =>
  new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:rate-limit] ${message}`);

/**
 * Parses `"<n> per <second|minute|hour|day>"`. Throws `INVALID_CONFIG` for anything else,
 * so a typo fails at start-up rather than silently disabling the limit.
 */
export function parseRateRule(rule: string): RateRule {
  const match = /^\s*(\d{1,9})\s+per\s+(second|minute|hour|day)\s*$/i.exec(rule);
  const points = Number(match?.[1]);
  const unit = match?.[2]?.toLowerCase() as keyof typeof WINDOW_SECONDS | undefined;
  if (!unit || points < 1)
    throw invalid(`Invalid rate rule "${rule}" (RATELIMIT_DEFAULT): expected "<n ≥ 1> per <unit>"`);
  return { points, windowSeconds: WINDOW_SECONDS[unit] };
}

function createStore(
  options: RateLimitOptions,
  limits: { points: number; duration: number; keyPrefix: string },
): Pick<RateLimit, 'ready' | 'close'> & { limiter: RateLimiterMemory | RateLimiterRedis } {
  const storageUrl = options.storageUrl || 'memory://';
  const memory = new RateLimiterMemory(limits);
  if (/^memory:\/\//i.test(storageUrl))
    return { limiter: memory, ready: async () => {}, close: async () => {} };
  if (!/^rediss?:\/\//i.test(storageUrl) || !URL.canParse(storageUrl))
    throw invalid('RATELIMIT_STORAGE_URL must be a redis://, rediss:// or memory:// URL');
  const host = new URL(storageUrl).host;
  // rate-limiter-flexible needs the offline queue off: commands must fail fast (and fall
  // back to the insurance limiter) while Redis is down, not pile up until it returns.
  const client = new Redis(storageUrl, { enableOfflineQueue: false, commandTimeout: REDIS_TIMEOUT_MS });
  client.on('error', (error: Error) => options.onStoreError?.(error));
  const limiter = new RateLimiterRedis({
    ...limits,
    storeClient: client,
    rejectIfRedisNotReady: true,
    // Per process while Redis is out: limits keep holding (N processes allow N × points)
    // instead of every request failing or passing unchecked.
    insuranceLimiter: memory,
  });
  return {
    limiter,
    async ready() {
      if (client.status === 'ready') return;
      if (client.status === 'end') throw invalid(`The connection to ${host} is closed`);
      await once(client, 'ready').catch((error: Error) => {
        throw invalid(`Cannot reach RATELIMIT_STORAGE_URL (${host}): ${error.message}; is Redis running?`);
      });
    },
    async close() {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else if (client.status !== 'end') client.disconnect();
    },
  };
}

/**
 * Creates the rate-limiting middleware (security spec K1, K2, K4). Each caller gets a
 * fixed-window bucket of `rule`: an authenticated principal by its id (set `principal`
 * first), anyone else by client address, IPv6 by network. Every response carries
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); a caller over
 * the limit gets 429 `RATE_LIMITED` with `Retry-After`.
 *
 * @example
 * ```ts
 * const rateLimit = createRateLimit({ rule: '100 per minute', storageUrl: 'redis://127.0.0.1:6379' });
 * app.use('/api/*', authenticate(auth), rateLimit.middleware);
 * // on shutdown: await rateLimit.close();
 * ```
 */
export function createRateLimit(options: RateLimitOptions): RateLimit {
  const { points, windowSeconds } = parseRateRule(options.rule);
  const ipv6Subnet = options.ipv6Subnet ?? 56;
  if (!Number.isInteger(ipv6Subnet) || ipv6Subnet < 1 || ipv6Subnet > 128)
    throw invalid(`ipv6Subnet must be an integer from 1 to 128, not ${ipv6Subnet}`);
  const addressing = Array.isArray(options.trustedProxies ?? [])
    ? createClientAddressing((options.trustedProxies as string[] | undefined) ?? [])
    : (options.trustedProxies as ClientAddressing);
  const keyPrefix = options.keyPrefix ?? 'fileforge:rl';
  const store = createStore(options, { points, duration: windowSeconds, keyPrefix });

  const keyOf = (c: Context) => {
    const principal = c.get('principal' as never) as { id?: unknown } | undefined;
    if (typeof principal?.id === 'string') return `principal:${principal.id}`;
    return `ip:${ipKey(addressing.addressOf(c), ipv6Subnet)}`;
  };
  const headersOf = (res: RateLimiterRes): Record<string, string> => ({
    'RateLimit-Limit': String(points),
    'RateLimit-Remaining': String(res.remainingPoints),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(res.msBeforeNext / 1000))),
  });

  /** Counts the request: its bucket's state, or the 429 to answer when it is over the limit. */
  const consume = async (c: Context): Promise<RateLimiterRes | Response> => {
    try {
      return await store.limiter.consume(keyOf(c));
    } catch (thrown) {
      if (!(thrown instanceof RateLimiterRes)) throw thrown;
      const retryAfter = Math.max(1, Math.ceil(thrown.msBeforeNext / 1000));
      const message = `[fileforge:rate-limit] Too many requests; retry after ${retryAfter} s`;
      const details = { limit: points, windowSeconds, retryAfter };
      const error = new FileForgeError(ErrorCode.RATE_LIMITED, message, { details });
      return errorResponse(c, error, { ...headersOf(thrown), 'Retry-After': String(retryAfter) });
    }
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const res = await consume(c);
    if (res instanceof Response) return res;
    await next();
    for (const [name, value] of Object.entries(headersOf(res))) c.header(name, value);
  };

  const countAnsweredIf =
    (counts: (c: Context) => boolean): MiddlewareHandler =>
    async (c, next) => {
      await next();
      if (!counts(c)) return;
      const res = await consume(c);
      if (res instanceof Response) c.res = res;
      else for (const [name, value] of Object.entries(headersOf(res))) c.header(name, value);
    };

  return { middleware, countAnsweredIf, ready: store.ready, close: store.close };
}
