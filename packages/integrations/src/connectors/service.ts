/**
 * The integrations service: connects connectors per tenant (credentials validated, tested,
 * sealed in the catalog), lists all seven with their health, and runs their actions — what
 * the server's `/api/v1/integrations` routes and the workflow steps call. Live connectors are
 * kept per tenant and slug, so a circuit's state lasts across calls. With a shared cache
 * (REDIS_URL), each connect and disconnect also writes a new generation for the tenant's
 * connector there, and a live connector built under an older one is rebuilt from the catalog:
 * credentials replaced or removed on one instance stop being used by every other at once. A
 * Redis that fails keeps the live connector (its circuit and tokens) rather than rebuild it on
 * every call.
 *
 * Failures before the vendor is reached (unknown connector, not connected, bad credentials,
 * missing file) throw a `FileForgeError`; a call that reached the vendor resolves with an
 * `IntegrationResult` whose `success` says how it went.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  createId,
  createSharedCache,
  ErrorCode,
  FileForgeError,
  type IntegrationEvent,
} from '@fileforge/core';
import { createHttpClient } from '../http/index.js';
import { type ConnectorOptions, createConnector, parseCredentials } from './connector.js';
import { createCredentialCipher } from './credentials/cipher.js';
import { createCredentialStore } from './credentials/store.js';
import { type ConnectorDefinition, secretFieldNames } from './define.js';
import { forgeFileSource } from './file-source.js';
import type { HttpPort } from './http-port.js';
import { builtInConnectors, CONNECTOR_CATALOG } from './registry.js';
import type {
  ActionCallOptions,
  IntegrationEventName,
  IntegrationHealth,
  IntegrationService,
  IntegrationServiceOptions,
  IntegrationStatus,
  IntegrationSummary,
  TenantScope,
} from './service-types.js';
import { shownUrl } from './shown-url.js';
import type { Connector, ConnectorEvent, FallbackFn, HaStats } from './types.js';

/**
 * Creates the integrations service.
 *
 * @example
 * ```ts
 * const service = createIntegrationService({ db: forge.catalog.db!(), secretKey: process.env.SECRET_KEY! });
 * await service.connect('slack', { botToken: 'xoxb-…' }, { tenant: 'acme' });
 * const result = await service.action('slack', 'postMessage', { channel: 'C0123', text: 'Hi' }, { tenant: 'acme' });
 * ```
 */
export function createIntegrationService(options: IntegrationServiceOptions): IntegrationService {
  const definitions = options.connectors ?? builtInConnectors;
  const bySlug = new Map(definitions.map((d) => [d.slug, d]));
  const store = createCredentialStore({
    db: options.db,
    cipher: createCredentialCipher({
      secretKey: options.secretKey,
      ...(options.previousSecretKeys ? { previousSecretKeys: options.previousSecretKeys } : {}),
      keyRing: options.keyRing,
    }),
    ...(options.clock?.now ? { now: options.clock.now } : {}),
  });
  let owned: ReturnType<typeof createHttpClient> | undefined;
  const httpClient = (): HttpPort => {
    if (options.http) return options.http;
    owned ??= createHttpClient();
    return owned;
  };
  const now = options.clock?.now ?? Date.now;
  const live = new Map<string, Promise<Connector>>();
  /** The shared generation each live connector was built under (see the module comment). */
  const generations = new Map<string, string | undefined>();
  const shared =
    options.cache ??
    (options.cacheUrl ? createSharedCache({ url: options.cacheUrl, namespace: 'fileforge' }) : undefined);
  const generationKey = (tenant: string, slug: string) => `connectors:${tenant}:${slug}`;
  const lastErrors = new Map<string, NonNullable<IntegrationStatus['lastError']>>();
  const fallbacks: Array<{ slug: string; operation: string; handler: FallbackFn<unknown> }> = [];
  const keyOf = (tenant: string, slug: string) => `${tenant}\u0000${slug}`;
  const tenantOf = (scope?: TenantScope) => scope?.tenant ?? 'default';

  const definitionOf = (slug: string): ConnectorDefinition => {
    const definition = bySlug.get(slug);
    if (definition) return definition;
    const known = CONNECTOR_CATALOG.some((c) => c.slug === slug);
    throw new FileForgeError(
      ErrorCode.NOT_FOUND,
      known
        ? `[fileforge:connectors] Connector "${slug}" is not available in this FileForge yet`
        : `[fileforge:connectors] No connector "${slug}"; see GET /api/v1/integrations for the list`,
      { details: { integration: slug } },
    );
  };

  const publish = (
    type: IntegrationEventName,
    tenant: string,
    slug: string,
    extra: Partial<IntegrationEvent>,
  ) => {
    if (!options.publish) return;
    const payload: IntegrationEvent = {
      eventId: `evt_${createId()}`,
      tenant,
      integration: slug,
      timestamp: new Date(now()).toISOString(),
      ...extra,
    };
    // Events ride the durable outbox; a connector call never waits on or fails with them.
    options.publish(type, payload).catch((err: unknown) => {
      options.logger?.warn({ err, event: type, integration: slug }, 'could not publish an integration event');
    });
  };

  const onEvent = (tenant: string, slug: string) => (event: ConnectorEvent) => {
    const region = event.region === null ? {} : { region: event.region };
    if (event.type === 'error') {
      lastErrors.set(keyOf(tenant, slug), {
        ...event.error,
        operation: event.operation,
        at: new Date(now()).toISOString(),
      });
      publish('integration.error', tenant, slug, {
        ...region,
        operation: event.operation,
        error: event.error,
      });
    } else {
      publish(`integration.${event.type}`, tenant, slug, region);
    }
  };

  const build = (definition: ConnectorDefinition, tenant: string, credentials: unknown, events: boolean) => {
    const settings = options.settings?.[definition.slug];
    const connectorOptions: ConnectorOptions = {
      credentials: credentials as ConnectorOptions['credentials'],
      http: httpClient(),
      ha: { ...options.ha, ...settings?.ha },
      ...(settings?.endpoints ? { endpoints: settings.endpoints } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(events ? { onEvent: onEvent(tenant, definition.slug) } : {}),
    };
    const connector = createConnector(definition, connectorOptions);
    for (const f of fallbacks)
      if (f.slug === definition.slug) connector.registerFallback(f.operation, f.handler);
    return connector;
  };

  /** Tells the other instances that this tenant's connector changed; returns the new generation. */
  const bump = async (tenant: string, slug: string): Promise<string | undefined> => {
    if (!shared) return undefined;
    const generation = randomUUID();
    try {
      await shared.set(generationKey(tenant, slug), generation, 86_400_000);
      return generation;
    } catch (err) {
      options.logger?.warn(
        { err, integration: slug },
        'could not tell other instances that a connector changed',
      );
      return undefined;
    }
  };

  const connectorOf = (slug: string, scope?: TenantScope): Promise<Connector> => {
    const definition = definitionOf(slug);
    const tenant = tenantOf(scope);
    if (!shared) return liveConnector(definition, tenant, undefined, false);
    return shared.get<string>(generationKey(tenant, definition.slug)).then(
      (generation) => liveConnector(definition, tenant, generation, true),
      () => liveConnector(definition, tenant, undefined, false),
    );
  };

  /** The live connector, built from the stored credentials unless one built under `generation` exists. */
  const liveConnector = (
    definition: ConnectorDefinition,
    tenant: string,
    generation: string | undefined,
    check: boolean,
  ): Promise<Connector> => {
    const slug = definition.slug;
    const key = keyOf(tenant, slug);
    let pending = live.get(key);
    if (pending && check && generations.get(key) !== generation) pending = undefined;
    if (!pending) {
      pending = (async () => {
        const credentials = await store.get(tenant, slug);
        if (!credentials) {
          throw new FileForgeError(
            ErrorCode.INTEGRATION_NOT_CONNECTED,
            `[fileforge:connectors] ${definition.name} is not connected in tenant "${tenant}"; POST /api/v1/integrations/connect/${slug} first`,
            { details: { integration: slug, tenant } },
          );
        }
        return build(definition, tenant, credentials, true);
      })();
      const mine = pending;
      live.set(key, mine);
      generations.set(key, generation);
      mine.catch(() => {
        if (live.get(key) === mine) live.delete(key);
      });
    }
    return pending;
  };

  const summaryOf = async (
    slug: string,
    name: string,
    tenant: string,
    connected: boolean,
  ): Promise<IntegrationSummary & { stats: HaStats | null }> => {
    const available = bySlug.has(slug);
    const pending = connected && available ? live.get(keyOf(tenant, slug)) : undefined;
    const stats = pending ? await pending.then((c) => c.getHaStats()).catch(() => null) : null;
    const region =
      stats?.region ?? options.settings?.[slug]?.ha?.regions?.primary ?? options.ha?.regions?.primary;
    return {
      slug,
      name,
      available,
      connected,
      circuitState: stats?.circuit.state ?? 'closed',
      region: region ?? null,
      stats,
    };
  };

  const service: IntegrationService = {
    definitions,

    async connect(slug, credentials, scope = {}) {
      const definition = definitionOf(slug);
      const tenant = tenantOf(scope);
      const parsed = parseCredentials(definition, credentials) as Record<string, unknown>;
      const connector = build(definition, tenant, parsed, true);
      if (scope.test !== false) {
        const result = await connector.testConnection(scope.signal ? { signal: scope.signal } : {});
        if (!result.success) {
          const error = result.error!;
          throw new FileForgeError(error.code as ErrorCode, error.message, {
            ...(error.details ? { details: error.details } : {}),
          });
        }
      }
      await store.put(tenant, slug, parsed);
      live.set(keyOf(tenant, slug), Promise.resolve(connector));
      generations.set(keyOf(tenant, slug), await bump(tenant, slug));
      lastErrors.delete(keyOf(tenant, slug));
      const region = connector.getHaStats().region;
      publish('integration.connected', tenant, slug, region === null ? {} : { region });
      return service.status(slug, { tenant });
    },

    async disconnect(slug, scope) {
      definitionOf(slug);
      const tenant = tenantOf(scope);
      live.delete(keyOf(tenant, slug));
      lastErrors.delete(keyOf(tenant, slug));
      const removed = await store.delete(tenant, slug);
      await bump(tenant, slug);
      return removed;
    },

    async list(scope) {
      const tenant = tenantOf(scope);
      const connected = new Set((await store.list(tenant)).map((s) => s.slug));
      const catalog = [
        ...CONNECTOR_CATALOG,
        ...definitions.filter((d) => !CONNECTOR_CATALOG.some((c) => c.slug === d.slug)),
      ];
      return Promise.all(
        catalog.map(async ({ slug, name }) => {
          const { stats: _stats, ...summary } = await summaryOf(
            slug,
            bySlug.get(slug)?.name ?? name,
            tenant,
            connected.has(slug),
          );
          return summary;
        }),
      );
    },

    async status(slug, scope) {
      const definition = definitionOf(slug);
      const tenant = tenantOf(scope);
      const stored = await store.describe(tenant, slug);
      if (stored) await connectorOf(slug, { tenant }).catch(() => undefined);
      const { stats, ...summary } = await summaryOf(slug, definition.name, tenant, stored !== null);
      const secrets = new Set(secretFieldNames(definition.credentials));
      const set = new Set(stored?.fields ?? []);
      return {
        ...summary,
        fields: Object.keys(definition.credentials.shape).map((name) => ({
          name,
          secret: secrets.has(name),
          set: set.has(name),
        })),
        connectedAt: stored?.connectedAt ?? null,
        actions: Object.keys(definition.actions),
        circuit: stats?.circuit ?? null,
        endpoints: (stats?.endpoints ?? []).map((e) => ({ ...e, url: shownUrl(e.url) })),
        lastError: lastErrors.get(keyOf(tenant, slug)) ?? null,
      };
    },

    async test(slug, scope = {}) {
      const connector = await connectorOf(slug, scope);
      return connector.testConnection(scope.signal ? { signal: scope.signal } : {});
    },

    async action<T>(slug: string, name: string, input: unknown, call: ActionCallOptions = {}) {
      const definition = definitionOf(slug);
      const action = Object.hasOwn(definition.actions, name) ? definition.actions[name] : undefined;
      if (!action) {
        throw new FileForgeError(
          ErrorCode.NOT_FOUND,
          `[fileforge:${slug}] No action "${name}"; actions: ${Object.keys(definition.actions).join(', ')}`,
          { details: { integration: slug, action: name } },
        );
      }
      const tenant = tenantOf(call);
      const connector = await connectorOf(slug, { tenant });
      let file: Awaited<ReturnType<typeof forgeFileSource>> | undefined;
      if (action.file) {
        if (!call.fileId || !options.files) {
          throw new FileForgeError(
            ErrorCode.VALIDATION_FAILED,
            `[fileforge:${slug}] Action ${name} sends a file: give fileId${options.files ? '' : ' (and run the service inside a forge)'}`,
            { details: { integration: slug, action: name } },
          );
        }
        file = await forgeFileSource(options.files, {
          tenant,
          fileId: call.fileId,
          ...(call.derivative ? { derivative: call.derivative } : {}),
        });
      }
      return connector.action<T>(name, input, {
        ...(file ? { file } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      });
    },

    connector: (slug, scope) => connectorOf(slug, scope),

    async health() {
      const rows = await Promise.all(
        [...live].map(async ([key, pending]) => {
          const connector = await pending.catch(() => undefined);
          if (!connector) return undefined;
          const [tenant = '', slug = ''] = key.split('\u0000');
          const stats = connector.getHaStats();
          return {
            tenant,
            slug,
            name: connector.name,
            circuitState: stats.circuit.state,
            region: stats.region,
            endpoints: stats.endpoints.map((e) => ({ ...e, url: shownUrl(e.url) })),
          };
        }),
      );
      return rows.filter((row): row is IntegrationHealth => row !== undefined);
    },

    async close() {
      live.clear();
      await owned?.close();
      if (!options.cache) await shared?.close();
    },

    registerFallback(slug, operation, handler) {
      definitionOf(slug);
      fallbacks.push({ slug, operation, handler: handler as FallbackFn<unknown> });
      for (const [key, pending] of live) {
        if (key.endsWith(`\u0000${slug}`)) {
          pending.then((c) => c.registerFallback(operation, handler)).catch(() => {});
        }
      }
    },
  };
  return service;
}
