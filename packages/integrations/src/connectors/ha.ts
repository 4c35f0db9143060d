/**
 * The high-availability runtime every connector uses (composition, not a base class). How it
 * works: an operation runs under `wrap(fallback, retry, breaker, timeout)` from
 * `@fileforge/core` — outermost first, so each attempt counts once in the breaker, an open
 * breaker ends the retry loop, and the fallback only sees the final error. Inside each
 * attempt the load balancer of the active region (cluster manager) picks a base URL, and the
 * outcome is reported back to both. Only transient failures (5xx, 429, network, timeouts)
 * count against endpoints and the circuit: a vendor's business refusal says nothing about its
 * health. A call whose request must not be carried out twice (a create) is not retried once
 * that request may have reached the vendor: it ends in doubt (`in-doubt.ts`), while the
 * breaker and the endpoints still see the failure itself. Successful results may be kept for a
 * short time (`cacheTtlMs`).
 *
 * @module
 */
import {
  CircuitBreaker,
  createFallbacks,
  ErrorCode,
  FileForgeError,
  type Jitter,
  LoadBalancer,
  type Policy,
  retry,
  timeout,
  wrap,
} from '@fileforge/core';
import { countsForCircuit, describeError, isTransient, isVendorFailure } from './errors.js';
import { createCluster, failbackProbes, type RegionsOptions } from './ha-regions.js';
import { createUnrepeatableLedger, inDoubtError, type UnrepeatableLedger } from './in-doubt.js';
import type {
  AttemptContext,
  ConnectorEvent,
  ExecuteOptions,
  FallbackFn,
  HaStats,
  IntegrationResult,
  WeightedEndpoint,
} from './types.js';

export type { RegionsOptions } from './ha-regions.js';

/**
 * The HA knobs of a connector (the seed's names in camelCase). Every one has a default that
 * suits a remote SaaS API; tests shrink the waits.
 */
export interface HaOptions {
  /**
   * Retries after the first attempt (total = maxRetries + 1). A call whose create may have
   * reached the vendor is never retried (`details.inDoubt`). @default 3
   */
  maxRetries?: number;
  /** First backoff delay before jitter. @default 1000 */
  retryDelayMs?: number;
  /** Longest backoff delay. @default 10000 */
  maxRetryDelayMs?: number;
  /** @default 2 */
  exponentialBase?: number;
  /** @default 'full' */
  jitter?: Jitter;
  /** Cap on a vendor's `Retry-After`; longer waits are cut to this. @default 60000 */
  maxRetryAfterMs?: number;
  /** The circuit opens at this many consecutive transient failures. @default 5 */
  circuitOpenAfterFailures?: number;
  /** How long the circuit stays open before one probe. @default 30000 */
  circuitResetTimeoutMs?: number;
  /** Deadline of each attempt. @default 30000 */
  timeoutMs?: number;
  /** Whether registered fallbacks run. @default true */
  fallbackEnabled?: boolean;
  /** Lifetime of cached results for calls that ask for the cache; 0 turns the cache off. @default 30000 */
  cacheTtlMs?: number;
  /** Transient failures within `failTimeoutMs` that eject an endpoint. @default 1 */
  maxFails?: number;
  /** Failure window and ejection time of an endpoint. @default 10000 */
  failTimeoutMs?: number;
  /**
   * When every endpoint is ejected, keep balancing over all of them instead of failing with
   * `NO_HEALTHY_ENDPOINT` — the circuit breaker is what stops calls to a dead vendor, and a
   * single endpoint is then never "unavailable" (as nginx treats a one-server upstream).
   * @default true
   */
  panicMode?: boolean;
  /** Regions over the endpoints' `region`s; without it there is one pool. */
  regions?: RegionsOptions;
}

/** Clock, randomness and waiting, injectable so tests are exact and instant. */
export interface HaClock {
  /** @default Date.now */
  now?: () => number;
  /** @default Math.random */
  random?: () => number;
  /** Waits between attempts; must reject when `signal` aborts. @default setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options for {@link createHaRuntime}. */
export interface HaRuntimeOptions extends HaOptions, HaClock {
  /** Base URLs with weights (at least one). */
  endpoints: readonly WeightedEndpoint[];
  /** Circuit changes and final errors. */
  onEvent?: (event: ConnectorEvent) => void;
  /** Name in error messages. */
  integration: string;
}

/** What `createHaRuntime` returns: the HA half of a connector. */
export interface HaRuntime {
  execute<T>(
    operation: string,
    executor: (attempt: AttemptContext) => Promise<T>,
    options?: ExecuteOptions,
  ): Promise<IntegrationResult<T>>;
  registerFallback<T>(operation: string, handler: FallbackFn<T>): () => void;
  stats(): HaStats;
}

const FALLBACK_VALUE = Symbol('fallback value');
const CACHE_LIMIT = 1000;
const NO_SIGNAL = new AbortController().signal;

/**
 * The policy between retry and breaker: a transient failure of a call whose unrepeatable
 * request may have been carried out becomes {@link inDoubtError}, which the retry gives up on.
 * The breaker, inside, still counts the failure itself.
 */
function settleDoubt(ledger: UnrepeatableLedger, integration: string, operation: string): Policy {
  return {
    async execute(fn, signal) {
      try {
        return await fn({ signal: signal ?? NO_SIGNAL });
      } catch (error) {
        throw ledger.inDoubt && isTransient(error) ? inDoubtError(error, integration, operation) : error;
      }
    },
  };
}

/**
 * Builds the HA runtime of one connector instance.
 *
 * @example
 * ```ts
 * const ha = createHaRuntime({ integration: 'slack', endpoints: [{ url: 'https://slack.com/api/' }] });
 * const result = await ha.execute('auth.test', ({ endpoint, signal }) => call(endpoint, signal));
 * ```
 */
export function createHaRuntime(options: HaRuntimeOptions): HaRuntime {
  const now = options.now ?? Date.now;
  if (options.endpoints.length === 0) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:${options.integration}] A connector needs at least one endpoint`,
    );
  }
  const regionOf = (e: WeightedEndpoint) => e.region ?? options.regions?.primary;
  const pools = new Map<string | undefined, LoadBalancer>();
  for (const region of new Set(options.endpoints.map(regionOf))) {
    const endpoints = options.endpoints
      .filter((e) => regionOf(e) === region)
      .map((e) => ({ url: e.url, weight: e.weight ?? 1 }));
    pools.set(
      region,
      new LoadBalancer(endpoints, {
        maxFails: options.maxFails ?? 1,
        failTimeoutMs: options.failTimeoutMs ?? 10_000,
        panicMode: options.panicMode ?? true,
        now,
      }),
    );
  }
  const cluster = options.regions ? createCluster(options.regions, [...pools.keys()], now) : undefined;
  const activeRegion = (): string | undefined => cluster?.getActiveRegion();
  const failback =
    cluster && options.regions
      ? failbackProbes(
          cluster,
          options.regions,
          [options.regions.primary, ...(options.regions.failover ?? []).filter((r) => pools.has(r))],
          now,
        )
      : undefined;
  const breaker = new CircuitBreaker({
    openAfterFailures: options.circuitOpenAfterFailures ?? 5,
    resetTimeoutMs: options.circuitResetTimeoutMs ?? 30_000,
    handles: countsForCircuit,
    now,
  });
  const safeRegion = (): string | null => {
    try {
      return activeRegion() ?? null;
    } catch {
      return null;
    }
  };
  breaker.on('break', () => options.onEvent?.({ type: 'circuit_opened', region: safeRegion() }));
  breaker.on('reset', () => options.onEvent?.({ type: 'circuit_closed', region: safeRegion() }));
  const retryPolicy = retry({
    maxRetries: options.maxRetries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 1000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
    exponentialBase: options.exponentialBase ?? 2,
    jitter: options.jitter ?? 'full',
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    shouldRetry: isTransient,
    ...(options.random ? { random: options.random } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  const timeouts = new Map<number, Policy>([[defaultTimeoutMs, timeout(defaultTimeoutMs)]]);
  const timeoutFor = (ms: number) => {
    let policy = timeouts.get(ms);
    if (!policy) {
      policy = timeout(ms);
      timeouts.set(ms, policy);
    }
    return policy;
  };

  const fallbacks = createFallbacks({ fallbackEnabled: options.fallbackEnabled ?? true });
  const cacheTtlMs = options.cacheTtlMs ?? 30_000;
  const cache = new Map<string, { expiresAt: number; data: unknown }>();
  const firstUrl = options.endpoints[0]!.url;

  const cacheSlot = (operation: string, option: ExecuteOptions['cache']) => {
    if (!option) return undefined;
    const ttlMs = typeof option === 'object' ? (option.ttlMs ?? cacheTtlMs) : cacheTtlMs;
    if (ttlMs <= 0) return undefined;
    return { key: `${operation}\u0000${typeof option === 'object' ? (option.key ?? '') : ''}`, ttlMs };
  };

  return {
    async execute<T>(
      operation: string,
      executor: (attempt: AttemptContext) => Promise<T>,
      call: ExecuteOptions = {},
    ): Promise<IntegrationResult<T>> {
      const started = now();
      const slot = cacheSlot(operation, call.cache);
      if (slot) {
        const hit = cache.get(slot.key);
        if (hit && hit.expiresAt > now()) {
          return { success: true, data: hit.data as T, latencyMs: 0, attempt: 0, fromCache: true };
        }
        cache.delete(slot.key);
      }
      let attempts = 0;
      const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
      const ledger = createUnrepeatableLedger();
      const attemptOnce = async ({ signal }: { signal: AbortSignal }): Promise<T> => {
        attempts += 1;
        let active: string | undefined;
        let probe: string | undefined;
        try {
          active = activeRegion();
          probe = failback?.due(active);
        } catch (error) {
          // No region qualifies (each one's recent calls failed): only a probe can show one is
          // back, so one attempt every interval goes to a region (each in turn, primary first);
          // the others are refused.
          probe = failback?.dueWithoutRegion();
          if (probe === undefined) throw error;
        }
        const region = probe ?? active;
        const pool = pools.get(region) ?? pools.values().next().value!;
        const endpoint = call.endpoints === false ? firstUrl : pool.getNext();
        const report = (ok: boolean) => {
          if (probe !== undefined) failback?.probed(probe, ok);
          else if (region !== undefined) cluster?.reportResult(region, ok);
        };
        try {
          const value = await executor({
            endpoint,
            region,
            attempt: attempts,
            signal,
            timeoutMs,
            // an attempt already over sends nothing more
            markUnrepeatable: () => (signal.aborted ? () => {} : ledger.mark()),
          });
          if (call.endpoints !== false) pool.markSuccess(endpoint);
          report(true);
          return value;
        } catch (error) {
          if (isVendorFailure(error) || (signal.aborted && isVendorFailure(signal.reason))) {
            if (call.endpoints !== false) pool.markFailure(endpoint);
            report(false);
          } else if (probe !== undefined) {
            report(true); // the region answered (a refusal of this call is not an outage)
          }
          throw error;
        }
      };
      const policies: Policy<unknown>[] = [
        fallbacks.for(operation),
        retryPolicy,
        settleDoubt(ledger, options.integration, operation),
      ];
      if (call.circuit !== false) policies.push(breaker);
      policies.push(timeoutFor(timeoutMs));
      try {
        const value = (await wrap(...policies).execute(attemptOnce, call.signal)) as unknown;
        const latencyMs = now() - started;
        if (isFallback(value)) {
          return {
            success: true,
            data: value[FALLBACK_VALUE] as T,
            latencyMs,
            attempt: attempts,
            fallback: true,
          };
        }
        if (slot) {
          if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
          cache.set(slot.key, { data: value, expiresAt: now() + slot.ttlMs });
        }
        return { success: true, data: value as T, latencyMs, attempt: attempts };
      } catch (error) {
        const described = describeError(error);
        options.onEvent?.({ type: 'error', operation, error: described, region: safeRegion() });
        return { success: false, error: described, latencyMs: now() - started, attempt: attempts };
      }
    },

    registerFallback(operation, handler) {
      return fallbacks.registerFallback(operation, async (error: unknown, op: string) => {
        // Reported as an error too: the remote did fail, even though the caller got an answer.
        options.onEvent?.({
          type: 'error',
          operation: op,
          error: describeError(error),
          region: safeRegion(),
        });
        return { [FALLBACK_VALUE]: await handler(error, op) };
      });
    },

    stats(): HaStats {
      return {
        circuit: breaker.stats(),
        endpoints: [...pools].flatMap(([region, pool]) =>
          pool.stats().map((s) => (region === undefined ? s : { ...s, region })),
        ),
        region: safeRegion(),
      };
    },
  };
}

function isFallback(value: unknown): value is { [FALLBACK_VALUE]: unknown; fallback: true } {
  return typeof value === 'object' && value !== null && FALLBACK_VALUE in value;
}
