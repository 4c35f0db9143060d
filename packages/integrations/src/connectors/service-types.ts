/**
 * The integrations service's contract: its options, what `list()`, `status()` and `health()`
 * report, and the {@link IntegrationService} interface that `createIntegrationService()`
 * (`service.ts`) implements.
 *
 * @module
 */
import type {
  CircuitBreakerStats,
  CircuitState,
  ForgeFiles,
  IntegrationEvent,
  KeyRing,
  SharedCache,
} from '@fileforge/core';
import type { Kysely } from 'kysely';
import type { ConnectorTables } from './credentials/store.js';
import type { ConnectorDefinition } from './define.js';
import type { HaClock, HaOptions } from './ha.js';
import type { HttpPort } from './http-port.js';
import type { Connector, FallbackFn, HaStats, IntegrationResult, WeightedEndpoint } from './types.js';

/** Events the service publishes. */
export type IntegrationEventName =
  | 'integration.connected'
  | 'integration.error'
  | 'integration.circuit_opened'
  | 'integration.circuit_closed';

/** Deployment settings of one connector (not secrets: those are connected per tenant). */
export interface ConnectorSettings {
  /** Where the vendor is (a proxy, a sandbox, weighted endpoints with regions). @default the connector's own */
  endpoints?: string | WeightedEndpoint[];
  /** HA knobs for this connector, over the service-wide `ha`. */
  ha?: HaOptions;
}

/** Options of {@link createIntegrationService}. */
export interface IntegrationServiceOptions {
  /** The catalog connection (`forge.catalog.db()`), migrated with `connectorMigrations`. */
  db: Kysely<ConnectorTables>;
  /**
   * SECRET_KEY: without `keyRing`, the credentials key is derived from it (HKDF-SHA256 →
   * AES-256-GCM); with one, it still opens credentials stored before ENCRYPTION_KEY was set.
   */
  secretKey: string | Uint8Array;
  /** Earlier SECRET_KEYs, so credentials sealed under them still open. @default [] */
  previousSecretKeys?: ReadonlyArray<string | Uint8Array>;
  /**
   * ENCRYPTION_KEY's ring (`forge.options.keyRing`): credentials are sealed under its current
   * key and re-sealed under it whenever they are written again.
   * @default none (SECRET_KEY-derived key)
   */
  keyRing?: KeyRing | undefined;
  /** Connector definitions. @default builtInConnectors */
  connectors?: readonly ConnectorDefinition[];
  /** The SSRF-guarded HTTP client every connector uses. @default createHttpClient() */
  http?: HttpPort;
  /** HA knobs for every connector. @default the runtime's (3 retries, circuit after 5, 30 s) */
  ha?: HaOptions;
  /** Per-connector settings by slug. */
  settings?: Readonly<Record<string, ConnectorSettings>>;
  /** Clock, randomness and sleep for the connectors (tests). */
  clock?: HaClock;
  /** Publishes `integration.*` events (the extension passes `forge.publish`). */
  publish?: (type: IntegrationEventName, payload: IntegrationEvent) => Promise<void>;
  /** Stored files, for actions that take one (`uploadFile`). */
  files?: ForgeFiles;
  /** Where publishing failures are reported. @default silent */
  logger?: { warn(object: Record<string, unknown>, message: string): void };
  /**
   * REDIS_URL: keyv on this Redis tells every instance at once that a tenant's connector was
   * connected again (new credentials) or disconnected, so none keeps calling the vendor with
   * credentials replaced or removed on another instance (one Redis read per call).
   * @default none: each process keeps its live connector until its own connect/disconnect or a restart
   */
  cacheUrl?: string;
  /** A shared cache to use instead of `cacheUrl` (not closed by the service). @default none */
  cache?: SharedCache;
}

/** Tenant scope of a call. */
export interface TenantScope {
  /** @default 'default' */
  tenant?: string;
}

/** A credentials field: whether it is set, never its value. */
export interface CredentialField {
  name: string;
  secret: boolean;
  set: boolean;
}

/** One row of `list()`. */
export interface IntegrationSummary {
  slug: string;
  name: string;
  /** Whether this FileForge has the connector (all seven are listed). */
  available: boolean;
  connected: boolean;
  circuitState: CircuitState;
  region: string | null;
}

/** `status(slug)`: the summary plus credentials fields, circuit, endpoints and the last error. */
export interface IntegrationStatus extends IntegrationSummary {
  fields: CredentialField[];
  connectedAt: string | null;
  actions: string[];
  circuit: CircuitBreakerStats | null;
  endpoints: HaStats['endpoints'];
  lastError: (NonNullable<IntegrationResult['error']> & { operation: string; at: string }) | null;
}

/** One row of `health()`. */
export interface IntegrationHealth {
  tenant: string;
  slug: string;
  name: string;
  circuitState: CircuitState;
  region: string | null;
  endpoints: HaStats['endpoints'];
}

/** Options of `action()`. */
export interface ActionCallOptions extends TenantScope {
  /** The stored file a file action sends. */
  fileId?: string;
  /** Send this derivative of the file instead of the original. */
  derivative?: string;
  signal?: AbortSignal;
}

/** The service. */
export interface IntegrationService {
  /** Validates, tests (unless `test: false`), seals and stores credentials; publishes `integration.connected`. */
  connect(
    slug: string,
    credentials: unknown,
    options?: TenantScope & { test?: boolean; signal?: AbortSignal },
  ): Promise<IntegrationStatus>;
  /** Forgets the credentials; false when it was not connected. */
  disconnect(slug: string, options?: TenantScope): Promise<boolean>;
  /** All seven connectors with `connected`, circuit state and region. */
  list(options?: TenantScope): Promise<IntegrationSummary[]>;
  status(slug: string, options?: TenantScope): Promise<IntegrationStatus>;
  /** Tests the stored credentials. */
  test(slug: string, options?: TenantScope & { signal?: AbortSignal }): Promise<IntegrationResult>;
  /** Runs an action; file actions read `fileId` from the forge. */
  action<T = unknown>(
    slug: string,
    action: string,
    input: unknown,
    options?: ActionCallOptions,
  ): Promise<IntegrationResult<T>>;
  /**
   * Circuit, endpoints and region of every connector this process holds live (connected or
   * used since it started), across tenants, from memory: no vendor call, no query. What the
   * server's `/health/detailed` reports; a connector not yet used has a fresh (closed) circuit.
   */
  health(): Promise<IntegrationHealth[]>;
  /** The live connector (for `executeWithHa`, `send`, `getHaStats`). */
  connector(slug: string, options?: TenantScope): Promise<Connector>;
  /** Registers a fallback for `slug`'s `operation` in every tenant (now and for connectors made later). */
  registerFallback<T>(slug: string, operation: string, handler: FallbackFn<T>): void;
  /** The connector definitions this service knows. */
  readonly definitions: readonly ConnectorDefinition[];
  /** Closes the HTTP client the service made (not one passed in `http`). */
  close(): Promise<void>;
}
