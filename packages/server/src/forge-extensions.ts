/**
 * The one place that decides which forge extensions a FileForge process runs: the webhooks
 * and connectors of `@fileforge/integrations`. Every entry point that opens a forge which
 * runs jobs (`fileforge serve`, `ingest`, `reprocess`) goes through here, so a workflow step
 * `webhook` or `connector.<slug>.<action>` resolves wherever workflows run, and events
 * recorded by any of them become webhook messages in the same outbox.
 *
 * @module
 */
import { type ForgeConfig, type ForgeExtension, type KeyRing, keyRingFromEnv } from '@fileforge/core';
import {
  type ConnectorsExtension,
  type ConnectorsExtensionOptions,
  createConnectorsExtension,
  createCredentialCipher,
  createHttpClient,
  createWebhooksExtension,
  type ResealReport,
  resealCredentials,
  resealEndpointSecrets,
  ssrfGuardOptionsFromConfig,
  type WebhookServiceOptions,
  type WebhooksExtension,
} from '@fileforge/integrations';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import { resolveSecrets } from './secrets.js';

/** Options of {@link createIntegrationExtensions}. */
export interface IntegrationExtensionsOptions {
  /**
   * SECRET_KEY: encrypts webhook secrets and connector credentials at rest when there is no
   * `keyRing`; with one, it still opens those stored before ENCRYPTION_KEY was set.
   */
  secretKey: string;
  /**
   * ENCRYPTION_KEY (+ ENCRYPTION_KEYS_OLD), the ring the forge encrypts blobs with: webhook
   * secrets and connector credentials are sealed under its current key.
   * @default none (SECRET_KEY-derived keys)
   */
  keyRing?: KeyRing | undefined;
  /**
   * WEBHOOK_ALLOWED_HOSTS: hosts and networks that webhook endpoints and connector base URLs
   * may reach although they are loopback or private. Each entry opens a hole in the SSRF guard.
   * @default [] (public addresses only)
   */
  allowedHosts?: readonly string[] | string;
  /** WEBHOOK_REQUIRE_HTTPS: refuse `http:` endpoints and connector URLs. @default false */
  requireHttps?: boolean;
  /** Further webhook options (retry schedule, clock, concurrency…); tests compress the schedule here. */
  webhooks?: Partial<Omit<WebhookServiceOptions, 'secretKey' | 'keyRing'>>;
  /**
   * Further connector options (per-connector `settings` such as endpoints, HA knobs, clock).
   * An `http` client given here is used as is and closed by its owner.
   * @default an SSRF-guarded client with `allowedHosts`/`requireHttps`, closed with the forge
   */
  connectors?: Partial<Omit<ConnectorsExtensionOptions, 'secretKey' | 'keyRing'>>;
}

/** The extensions, for `createForge({ extensions })`, and for `createServer({ integrations })`. */
export interface IntegrationExtensions {
  webhooks: WebhooksExtension;
  connectors: ConnectorsExtension;
  /** Both, in the order `createForge` should get them. */
  extensions: ForgeExtension[];
}

/**
 * Creates the webhooks and connectors extensions. Bad options (a short SECRET_KEY, a bad
 * allow-list entry) fail here, before the forge opens.
 *
 * @example
 * ```ts
 * const integrations = createIntegrationExtensions(integrationOptionsFromConfig(config, secrets));
 * const forge = await createForge({ ...forgeOptionsFromConfig(config), extensions: integrations.extensions });
 * await startServer({ forge, integrations, ...serverOptionsFromConfig(config, secrets) });
 * ```
 */
export function createIntegrationExtensions(options: IntegrationExtensionsOptions): IntegrationExtensions {
  const guard = {
    allowedHosts: options.allowedHosts ?? [],
    requireHttps: options.requireHttps ?? false,
  };
  const keys = { secretKey: options.secretKey, keyRing: options.keyRing };
  const hooks = createWebhooksExtension({ ...keys, ...guard, ...options.webhooks });
  // Connector base URLs are user-supplied too: the same guard as webhooks (specs/webhooks.md).
  const ownHttp = options.connectors?.http ? undefined : createHttpClient({ guard });
  const inner = createConnectorsExtension({
    ...keys,
    ...options.connectors,
    ...(ownHttp ? { http: ownHttp } : {}),
  });
  const connectors: ConnectorsExtension = {
    name: inner.name,
    ...(inner.migrations ? { migrations: inner.migrations } : {}),
    ...(inner.steps ? { steps: inner.steps } : {}),
    start: (forge) => inner.start?.(forge) ?? Promise.resolve(),
    async close() {
      await inner.close?.();
      await ownHttp?.close();
    },
    get service() {
      return inner.service;
    },
  };
  return { webhooks: hooks, connectors, extensions: [hooks, connectors] };
}

/**
 * {@link IntegrationExtensionsOptions} from the environment (WEBHOOK_*, ENCRYPTION_KEY,
 * ENCRYPTION_KEYS_OLD, REDIS_URL) and SECRET_KEY.
 */
export function integrationOptionsFromConfig(
  config: Pick<ForgeConfig, 'webhookAllowedHosts' | 'webhookRequireHttps' | 'env'>,
  secrets: { secretKey: string },
): IntegrationExtensionsOptions {
  const keyRing = keyRingFromEnv(config.env);
  return {
    secretKey: secrets.secretKey,
    ...(keyRing ? { keyRing } : {}),
    ...ssrfGuardOptionsFromConfig(config),
    // Every instance on REDIS_URL learns at once that a tenant's subscriptions or connector
    // credentials changed.
    ...(config.env.REDIS_URL
      ? { webhooks: { cacheUrl: config.env.REDIS_URL }, connectors: { cacheUrl: config.env.REDIS_URL } }
      : {}),
  };
}

/**
 * The extensions of a CLI command that runs jobs on the data directory itself (`ingest`,
 * `reprocess`): SECRET_KEY as `fileforge serve` resolves it (the environment, else the data
 * directory's `secrets.json`), so both read the same stored credentials and secrets.
 */
export async function integrationExtensionsFromConfig(
  config: ForgeConfig,
  logger: Logger = createLogger(config.logLevel, { stderr: true }),
): Promise<IntegrationExtensions> {
  const secrets = await resolveSecrets(config, logger);
  return createIntegrationExtensions(integrationOptionsFromConfig(config, secrets));
}

/**
 * Re-seals every stored connector credential and webhook endpoint secret under the current key
 * (`fileforge keys rotate`): under `keyRing`'s current key, else the SECRET_KEY-derived one.
 * Rows that do not open are reported, and left as they were.
 */
export async function resealIntegrationSecrets(
  // biome-ignore lint/suspicious/noExplicitAny: both modules' tables live in the one catalog
  db: Kysely<any>,
  keys: Pick<IntegrationExtensionsOptions, 'secretKey' | 'keyRing'>,
): Promise<ResealReport> {
  const credentials = await resealCredentials(db, createCredentialCipher(keys));
  const secrets = await resealEndpointSecrets(db, keys);
  return {
    resealed: credentials.resealed + secrets.resealed,
    current: credentials.current + secrets.current,
    failed: [...credentials.failed, ...secrets.failed],
  };
}
