/**
 * The connector contract — the seed's `IntegrationBase` as one small interface. A connector is
 * a declarative {@link ConnectorDefinition} (slug, name, credentials schema, auth, actions)
 * turned into a live {@link Connector} by `createConnector()`; the high-availability behaviour
 * (fallback ∘ retry ∘ circuit breaker ∘ timeout, weighted endpoints, regions, a short result
 * cache) is composed in by the shared runtime (`ha.ts`), not inherited.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import type { CircuitBreakerStats, EndpointStats } from '@fileforge/core';
import type { HttpMethod } from './http-port.js';

/** What every connector call resolves with (it never throws for a remote's failure). */
export interface IntegrationResult<T = unknown> {
  success: boolean;
  /** The result (or the fallback's value) when `success`. */
  data?: T;
  /**
   * Why it failed: a FileForge code (`INTEGRATION_REJECTED`, `UPSTREAM_ERROR`, `CIRCUIT_OPEN`, …)
   * and details. `details.inDoubt: true`: a request that must not be carried out twice (a
   * create) may have been carried out all the same, so the call was not retried.
   */
  error?: { code: string; message: string; details?: Record<string, unknown> };
  /** Wall time of the whole call, retries and waits included. */
  latencyMs: number;
  /** Attempts made (1 = first try succeeded; 0 = answered from the cache). */
  attempt: number;
  /** Answered from the short result cache. */
  fromCache?: boolean;
  /** The operation failed and a registered fallback produced `data`. */
  fallback?: boolean;
}

/** A base URL the connector may use, with its weight and region. */
export interface WeightedEndpoint {
  url: string;
  /** Share of calls (smooth weighted round-robin). @default 1 */
  weight?: number;
  /** Region the endpoint belongs to (with `regions`). @default the primary region */
  region?: string;
}

/** What one attempt of an operation gets. */
export interface AttemptContext {
  /** Base URL picked by the load balancer for this attempt. */
  endpoint: string;
  /** The active region, when regions are configured. */
  region: string | undefined;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborts at the attempt's deadline or on the caller's abort. */
  signal: AbortSignal;
  /**
   * The attempt's deadline in ms (when `signal` aborts). The attempt's requests are given it as
   * their own deadline, so an HTTP client's shorter default never cuts them first.
   */
  timeoutMs: number;
  /**
   * Call just before sending a request that must not be carried out twice (a POST that
   * creates a record). From then on a failure of the call is not retried — the vendor may
   * have done the work — and ends with `details.inDoubt: true`, unless the returned function
   * is called first, once the answer or the error shows the vendor did not carry it out (a
   * refused connection, a 4xx, a 503). A connector's `client.request()`
   * does this itself for every POST and PATCH not declared `idempotent`.
   */
  markUnrepeatable(): () => void;
}

/** Per-call options of `executeWithHa`. */
export interface ExecuteOptions {
  /** Count this call in the circuit breaker (and refuse it while open). @default true */
  circuit?: boolean;
  /** Pick the endpoint with the load balancer and report its health; false = always the first endpoint. @default true */
  endpoints?: boolean;
  /**
   * Answer from / store in the short result cache. `true` uses the connector's `cacheTtlMs`;
   * `key` distinguishes calls of one operation (e.g. the input). @default false
   */
  cache?: boolean | { key?: string; ttlMs?: number };
  /** Deadline of each attempt. @default the connector's `timeoutMs` */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Produces a substitute result from the error that ended an operation. */
export type FallbackFn<T = unknown> = (error: unknown, operation: string) => T | Promise<T>;

/** Circuit, endpoints and region of a connector, for `/status` and `/health/detailed`. */
export interface HaStats {
  circuit: CircuitBreakerStats;
  endpoints: Array<EndpointStats & { region?: string }>;
  /** The region calls go to now; `null` without regions or when none is healthy. */
  region: string | null;
}

/** A file handed to an action (re-opened on each attempt, so a retry re-reads it). */
export interface FileSource {
  name: string;
  size: number;
  mime?: string;
  open(signal?: AbortSignal): Promise<Readable>;
}

/** Per-call options of `send()`, `action()` and `testConnection()`. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of {@link Connector.send}. */
export interface SendOptions extends CallOptions {
  /** How `data` is encoded. @default 'json' */
  encoding?: 'json' | 'form';
  headers?: Record<string, string>;
  /**
   * Whether sending the request twice does no more than sending it once (a read over POST, an
   * upsert by an external key): then it is retried after any transient failure. Otherwise a
   * failure after the request may have reached the vendor (a timeout, a reset, a 500/502/504)
   * is not retried and ends with `details.inDoubt: true`.
   * @default true for GET, HEAD, OPTIONS, PUT and DELETE; false for POST and PATCH
   */
  idempotent?: boolean;
}

/** A live connector: one vendor, one set of credentials. */
export interface Connector {
  /** Display name (`Slack`). */
  readonly name: string;
  /** `slack`, `salesforce`, … (`connector.<slug>.<action>` step kinds). */
  readonly slug: string;
  /** Checks the credentials against the vendor (Slack `auth.test`, a token request, …). */
  testConnection(options?: CallOptions): Promise<IntegrationResult>;
  /** One request to `endpoint` (a path under the base URL, or an absolute URL), signed, with HA. */
  send<T = unknown>(
    endpoint: string,
    data?: unknown,
    method?: HttpMethod,
    options?: SendOptions,
  ): Promise<IntegrationResult<T>>;
  /** Runs a declared action after validating `input` with its schema. */
  action<T = unknown>(
    name: string,
    input: unknown,
    options?: CallOptions & { file?: FileSource },
  ): Promise<IntegrationResult<T>>;
  /** Runs any operation under the connector's HA policies. */
  executeWithHa<T>(
    operation: string,
    executor: (attempt: AttemptContext) => Promise<T>,
    options?: ExecuteOptions,
  ): Promise<IntegrationResult<T>>;
  /** The value `handler` returns becomes the result (`fallback: true`) when `operation` finally fails. Returns an unregister function. */
  registerFallback<T>(operation: string, handler: FallbackFn<T>): () => void;
  getHaStats(): HaStats;
}

/** Events a connector reports (the service publishes them as `integration.*`). */
export type ConnectorEvent =
  | { type: 'circuit_opened' | 'circuit_closed'; region: string | null }
  | {
      type: 'error';
      operation: string;
      error: NonNullable<IntegrationResult['error']>;
      region: string | null;
    };
