import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { IntegrationService, WebhookService } from '@fileforge/integrations';
import type { ServerIntegrations } from '../options.js';

function notConfigured(what: 'webhooks' | 'connectors'): never {
  throw new FileForgeError(
    ErrorCode.INTEGRATIONS_NOT_CONFIGURED,
    `[fileforge:server] This server runs without ${what}: pass createServer(forge, { integrations }) from createIntegrationExtensions() (fileforge serve does)`,
    { details: { integration: what } },
  );
}

/**
 * The integrations services as the routes reach them: read on every request (so a closed
 * forge answers `SHUTTING_DOWN`), and 404 `INTEGRATIONS_NOT_CONFIGURED` when the server was
 * created without them.
 */
export function integrationServices(integrations: ServerIntegrations = {}) {
  return {
    webhooks: (): WebhookService => integrations.webhooks?.service ?? notConfigured('webhooks'),
    connectors: (): IntegrationService => integrations.connectors?.service ?? notConfigured('connectors'),
  };
}
