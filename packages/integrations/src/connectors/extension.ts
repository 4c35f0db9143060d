/**
 * The connectors as a forge extension: their table (module `connectors`), a workflow step
 * kind per action, and the {@link IntegrationService} bound to the forge (its catalog, its
 * stored files, `forge.publish` for `integration.*` events) once the forge has started.
 *
 * @module
 */
import { ErrorCode, FileForgeError, type ForgeExtension } from '@fileforge/core';
import type { Kysely } from 'kysely';
import { connectorMigrations } from './credentials/migrations.js';
import type { ConnectorTables } from './credentials/store.js';
import { builtInConnectors } from './registry.js';
import { createIntegrationService } from './service.js';
import type { IntegrationService, IntegrationServiceOptions } from './service-types.js';
import { connectorStepKinds } from './steps.js';

/** Options of {@link createConnectorsExtension}: the service's, minus what the forge provides. */
export type ConnectorsExtensionOptions = Omit<
  IntegrationServiceOptions,
  'db' | 'publish' | 'files' | 'logger'
>;

/** The extension, with the service it starts. */
export interface ConnectorsExtension extends ForgeExtension {
  /** The integrations service; usable once `createForge()` has resolved. */
  readonly service: IntegrationService;
}

/**
 * Creates the connectors extension.
 *
 * @example
 * ```ts
 * const connectors = createConnectorsExtension({ secretKey: process.env.SECRET_KEY! });
 * const forge = await createForge({ extensions: [connectors] });
 * await connectors.service.connect('slack', { botToken: 'xoxb-…' });
 * ```
 */
export function createConnectorsExtension(options: ConnectorsExtensionOptions): ConnectorsExtension {
  const definitions = options.connectors ?? builtInConnectors;
  let service: IntegrationService | undefined;
  const started = () => {
    if (!service) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        '[fileforge:connectors] The integrations service is available once the forge has started',
      );
    }
    return service;
  };
  return {
    name: 'connectors',
    migrations: connectorMigrations,
    steps: connectorStepKinds(definitions, started),
    async start(forge) {
      if (!forge.catalog.db) {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          '[fileforge:connectors] Connectors need a SQL catalog (SQLite or PostgreSQL) to store credentials',
        );
      }
      service = createIntegrationService({
        ...options,
        connectors: definitions,
        db: forge.catalog.db() as Kysely<ConnectorTables>,
        files: forge.files,
        publish: (type, payload) => forge.publish(type, payload),
        logger: forge.options.logger,
      });
    },
    async close() {
      await service?.close();
    },
    get service() {
      return started();
    },
  };
}
