/**
 * Options of the webhook service (and of the `createWebhooksExtension()` extension), with their defaults and
 * checks: bad options fail at construction, not on the first delivery.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { ErrorCode, FileForgeError, type KeyRing, type SharedCache } from '@fileforge/core';
import type { HttpClient } from '../http/index.js';
import { DEFAULT_RETRY_SCHEDULE } from './schedule.js';

/** Options of {@link createWebhookService} and {@link webhooks}. */
export interface WebhookServiceOptions {
  /**
   * Key material (SECRET_KEY, at least 16 bytes) from which the key that encrypts endpoint
   * secrets at rest is derived (HKDF-SHA256 → AES-256-GCM). Changing it makes stored secrets
   * unreadable: rotate every endpoint's secret after a change.
   */
  secretKey: string | Uint8Array;
  /**
   * ENCRYPTION_KEY's ring (`forge.options.keyRing`): endpoint secrets are sealed under its
   * current key; those sealed under the SECRET_KEY-derived key still open.
   * @default none (SECRET_KEY-derived key)
   */
  keyRing?: KeyRing | undefined;
  /**
   * Hosts and networks endpoints may reach although they are loopback or private
   * (WEBHOOK_ALLOWED_HOSTS), e.g. `'127.0.0.1,localhost'` for a local receiver. Each entry
   * opens a hole in the SSRF guard. Ignored when `client` is given.
   * @default [] (public addresses only)
   */
  allowedHosts?: readonly string[] | string;
  /** Refuse `http:` endpoints (WEBHOOK_REQUIRE_HTTPS). Ignored when `client` is given. @default false */
  requireHttps?: boolean;
  /**
   * The outbound client (`createHttpClient()`); its SSRF guard also validates URLs at
   * subscribe time. Given, it is not closed by the service.
   * @default a client of its own with `allowedHosts`/`requireHttps`, closed at `close()`
   */
  client?: HttpClient;
  /**
   * Delays in ms after attempts 1, 2, …; attempts in all = length + 1. Shorter schedules give
   * up sooner on a receiver that is down for a while.
   * @default [5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h] (8 attempts over about 27.5 h)
   */
  retrySchedule?: readonly number[];
  /** ± fraction of jitter on each delay, so retries of many messages do not arrive together. @default 0.2 */
  jitter?: number;
  /** Uniform random source in [0, 1) for jitter. @default Math.random */
  random?: () => number;
  /** Clock in ms (timestamps, schedule, rotation, auto-disable). @default the forge's clock, else Date.now */
  now?: () => number;
  /** Request timeout per attempt. @default 15000 */
  timeoutMs?: number;
  /**
   * How long an endpoint may do nothing but fail before it is disabled (any success resets
   * the clock). @default 432000000 (5 days)
   */
  disableAfterMs?: number;
  /** How long the previous secret keeps signing after a rotation. @default 86400000 (24 h) */
  rotationOverlapMs?: number;
  /**
   * Attempts sent at once (and so at most in memory). More gives throughput against slow
   * receivers; fewer keeps sockets and memory down. @default 16
   */
  concurrency?: number;
  /**
   * A send still waiting for its answer after this long marks its endpoint slow: it stops
   * taking one of the `concurrency` slots (for up to `concurrency` such sends), and while the
   * slots are full a slow endpoint gets at most a quarter of them, so one receiver that hangs
   * does not hold up deliveries to the others until its requests time out. A lone slow
   * receiver still gets `concurrency` sends at once. @default 2000
   */
  slowSendMs?: number;
  /** How often due attempts are looked for besides being woken by new messages. @default 1000 */
  pollIntervalMs?: number;
  /**
   * How long a tenant's enabled subscriptions are kept in memory to match emitted events
   * against. This process's own changes apply at once; a subscription created, changed or
   * removed by another process sharing the catalog is seen by this one's `emit()` within this
   * time. 0 reads the catalog on every `emit()`. @default 1000
   */
  endpointCacheMs?: number;
  /**
   * REDIS_URL: keyv on this Redis tells every instance at once that a tenant's subscriptions
   * changed, so an `emit()` on one never targets a subscription just removed on another
   * (one Redis read per emit). @default none: another process's changes are seen within `endpointCacheMs`
   */
  cacheUrl?: string;
  /** A shared cache to use instead of `cacheUrl` (not closed by the service). @default none */
  cache?: SharedCache;
  /** Lease on a claimed attempt; another process takes it over after this. Must exceed `timeoutMs`. @default 60000 */
  leaseMs?: number;
  /** The `user-agent`. @default `FileForge-Webhooks/<package version>` */
  userAgent?: string;
}

/** The integrations package's version, for the user-agent. */
export function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('@fileforge/integrations/package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function bad(message: string): never {
  throw new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:webhooks] ${message}`);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    bad(`Option "${name}" must be a number > 0, got ${String(value)}`);
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    bad(`Option "${name}" must be a number >= 0, got ${String(value)}`);
  return value;
}

/** {@link WebhookServiceOptions} with defaults applied and checked. */
export function resolveWebhookOptions(options: WebhookServiceOptions, forgeNow?: () => number) {
  if (options.secretKey === undefined)
    bad('Option "secretKey" (SECRET_KEY) is required to encrypt endpoint secrets');
  const retrySchedule = options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
  if (retrySchedule.some((d) => !Number.isFinite(d) || d < 0))
    bad('Option "retrySchedule" takes delays >= 0 in ms');
  const jitter = options.jitter ?? 0.2;
  if (!(jitter >= 0 && jitter < 1)) bad(`Option "jitter" must be in [0, 1), got ${jitter}`);
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 15_000);
  const leaseMs = positive('leaseMs', options.leaseMs, Math.max(60_000, 2 * timeoutMs));
  if (leaseMs <= timeoutMs) bad(`Option "leaseMs" (${leaseMs}) must exceed "timeoutMs" (${timeoutMs})`);
  const concurrency = positive('concurrency', options.concurrency, 16);
  if (!Number.isInteger(concurrency)) bad('Option "concurrency" must be an integer');
  return {
    retrySchedule,
    jitter,
    random: options.random ?? Math.random,
    now: options.now ?? forgeNow ?? Date.now,
    timeoutMs,
    leaseMs,
    concurrency,
    disableAfterMs: positive('disableAfterMs', options.disableAfterMs, 5 * 86_400_000),
    rotationOverlapMs: positive('rotationOverlapMs', options.rotationOverlapMs, 86_400_000),
    slowSendMs: positive('slowSendMs', options.slowSendMs, 2000),
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs, 1000),
    endpointCacheMs: nonNegative('endpointCacheMs', options.endpointCacheMs, 1000),
    userAgent: options.userAgent ?? `FileForge-Webhooks/${packageVersion()}`,
  };
}
