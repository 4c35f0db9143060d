import { once } from 'node:events';
import { BlockList, isIP } from 'node:net';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { errorResponse } from '../errors/respond.js';

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
   * Addresses or CIDR ranges (`10.0.0.0/8`) of reverse proxies whose `X-Forwarded-For` is believed;
   * anyone else's is ignored, or every request could claim a fresh address. @default [] (the socket peer)
   */
  trustedProxies?: string[];
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
  if (!unit || points < 1) throw invalid(`Invalid rate rule "${rule}": expected "<n ≥ 1> per <unit>"`);
  return { points, windowSeconds: WINDOW_SECONDS[unit] };
}

/** The 8 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => Number.parseInt(group, 16));
}

type Ip = { address: string; family: 4 | 6 };

/** Parses an address as sockets and proxies write it; IPv4-mapped IPv6 becomes IPv4. */
function parseIp(raw: string): Ip | undefined {
  // `[v6]:port` and `v4:port` as some proxies write them; `%zone` as link-local sockets report them.
  const text = raw
    .trim()
    .replace(/^\[([^\]]+)\](?::\d+)?$|^([\d.]+):\d+$/, '$1$2')
    .replace(/%.*$/, '');
  const family = isIP(text);
  if (family === 4) return { address: text, family: 4 };
  if (family !== 6) return undefined;
  const groups = ipv6Groups(text);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return { address: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.'), family: 4 };
  }
  return { address: text, family: 6 };
}

/**
 * The bucket key of a client address: IPv4 (also IPv4-mapped IPv6) as is, IPv6 as its
 * network of `ipv6Subnet` bits (`2001:db8:1:2::10` → `2001:db8:1:0:0:0:0:0/56`). Anything
 * unparseable shares the one key `unknown`, which fails closed rather than open.
 */
export function ipKey(address: string | undefined, ipv6Subnet = 56): string {
  const ip = parseIp(address ?? '');
  if (!ip) return 'unknown';
  if (ip.family === 4) return ip.address;
  const masked = ipv6Groups(ip.address).map((group, i) => {
    const keep = Math.min(16, Math.max(0, ipv6Subnet - 16 * i));
    return (group & (0xffff << (16 - keep)) & 0xffff).toString(16);
  });
  return `${masked.join(':')}/${ipv6Subnet}`;
}

const familyName = (family: number) => (family === 4 ? 'ipv4' : 'ipv6');

function trustList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.trim().split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const valid = bits === undefined || (/^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128));
    if (!family || !valid || rest.length > 0)
      throw invalid(`Invalid trusted proxy "${entry}": not an IP or CIDR`);
    if (bits === undefined) list.addAddress(address, familyName(family));
    else list.addSubnet(address, prefix, familyName(family));
  }
  return list;
}

const trusts = (list: BlockList, ip: Ip) => list.check(ip.address, familyName(ip.family));

/**
 * A predicate telling whether an address (as a socket reports it) is one of `entries`
 * (`TRUSTED_PROXIES`: addresses or CIDR ranges). Throws `INVALID_CONFIG` for a bad entry.
 */
export function trustedAddresses(entries: string[]): (address: string | undefined) => boolean {
  if (entries.length === 0) return () => false;
  const list = trustList(entries);
  return (address) => {
    const ip = parseIp(address ?? '');
    return ip !== undefined && trusts(list, ip);
  };
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy; then the
 * right-most `X-Forwarded-For` hop that is not itself trusted (every hop right of it was
 * appended by a proxy we trust; everything left of it is the client's word).
 */
function clientAddress(c: Context, trusted: BlockList | undefined): string | undefined {
  // Outside @hono/node-server (app.request() without env) there is no socket to ask.
  const node = (c.env?.server ?? c.env)?.incoming !== undefined;
  const peer = parseIp((node && getConnInfo(c).remote.address) || '');
  if (!peer || !trusted || !trusts(trusted, peer)) return peer?.address;
  const hops = (c.req.header('X-Forwarded-For') ?? '').split(',');
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i] ?? '');
    if (!hop) break; // garbled by our own proxy: the last hop we trust is the best we know
    nearest = hop;
    if (!trusts(trusted, hop)) break;
  }
  return nearest.address;
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
  const trusted = options.trustedProxies?.length ? trustList(options.trustedProxies) : undefined;
  const keyPrefix = options.keyPrefix ?? 'fileforge:rl';
  const store = createStore(options, { points, duration: windowSeconds, keyPrefix });

  const keyOf = (c: Context) => {
    const principal = c.get('principal' as never) as { id?: unknown } | undefined;
    if (typeof principal?.id === 'string') return `principal:${principal.id}`;
    return `ip:${ipKey(clientAddress(c, trusted), ipv6Subnet)}`;
  };
  const headersOf = (res: RateLimiterRes): Record<string, string> => ({
    'RateLimit-Limit': String(points),
    'RateLimit-Remaining': String(res.remainingPoints),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(res.msBeforeNext / 1000))),
  });

  const middleware: MiddlewareHandler = async (c, next) => {
    let res: RateLimiterRes;
    try {
      res = await store.limiter.consume(keyOf(c));
    } catch (thrown) {
      if (!(thrown instanceof RateLimiterRes)) throw thrown;
      const retryAfter = Math.max(1, Math.ceil(thrown.msBeforeNext / 1000));
      const message = `[fileforge:rate-limit] Too many requests; retry after ${retryAfter} s`;
      const details = { limit: points, windowSeconds, retryAfter };
      const error = new FileForgeError(ErrorCode.RATE_LIMITED, message, { details });
      return errorResponse(c, error, { ...headersOf(thrown), 'Retry-After': String(retryAfter) });
    }
    await next();
    for (const [name, value] of Object.entries(headersOf(res))) c.header(name, value);
  };

  return { middleware, ready: store.ready, close: store.close };
}
