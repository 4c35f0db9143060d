import { builtInConnectors } from '@fileforge/integrations';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { credentialsFor, describeCredentials } from '../http/connector-credentials.js';
import { integrationServices } from '../http/integration-services.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit } from '../middleware/audit.js';
import type { ServerIntegrations } from '../options.js';
import {
  ActionBody,
  ActionParams,
  ConnectQuery,
  IntegrationResultSchema,
  IntegrationStatusSchema,
  IntegrationSummarySchema,
  SlugParam,
} from '../schemas/integrations.js';

const TAGS = ['Integrations'];

/**
 * The connectors of the caller's tenant: all seven with their state, connect (credentials
 * validated, tested against the vendor, stored encrypted, never echoed), disconnect, status
 * (circuit, endpoints, region, last error, actions), a connection test and actions. A call
 * that reached the vendor answers 200 with an `IntegrationResult` whose `success` says how it
 * went; refusals before the vendor (unknown connector 404, not connected 409
 * `INTEGRATION_NOT_CONNECTED`, bad input 400) are errors.
 */
export function registerIntegrationRoutes(app: ApiApp, integrations?: ServerIntegrations): void {
  const service = integrationServices(integrations).connectors;
  const definitionOf = (slug: string) => service().definitions.find((d) => d.slug === slug);

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/integrations',
      tags: TAGS,
      summary: 'All seven connectors: connected or not, circuit state, region',
      errors: [404],
      responses: {
        200: jsonResponse(z.object({ items: z.array(IntegrationSummarySchema) }), 'The connectors'),
      },
    }),
    async (c) => c.json({ items: await service().list({ tenant: principalOf(c).tenant }) }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/integrations/connect/{slug}',
      tags: TAGS,
      summary: 'Connect a connector: credentials are validated, tested, stored encrypted and never echoed',
      description: `The body is the connector's credentials object (camelCase field names; the seed guide's snake_case spellings such as \`client_id\` or \`bot_token\` are accepted too). \`?\` marks optional fields; see docs/integrations.md for each one:\n\n${describeCredentials(builtInConnectors)}`,
      request: {
        params: SlugParam,
        query: ConnectQuery,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .record(z.string(), z.unknown())
                .openapi({ example: { botToken: 'xoxb-…' }, description: 'The connector’s credentials' }),
            },
          },
        },
      },
      errors: [400, 404, 413, 415, 422, 502, 503, 504],
      responses: {
        200: jsonResponse(IntegrationStatusSchema, 'Reconnected: the new credentials replaced the old'),
        201: jsonResponse(IntegrationStatusSchema, 'Connected'),
      },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const { slug } = c.req.valid('param');
      const before = await service().status(slug, { tenant });
      const credentials = credentialsFor(definitionOf(slug), c.req.valid('json'));
      const status = await service().connect(slug, credentials, {
        tenant,
        test: c.req.valid('query').test === 'true',
        signal: c.req.raw.signal,
      });
      await audit(
        c,
        'integration.connect',
        { type: 'integration', id: slug },
        { replaced: before.connected },
      );
      return before.connected ? c.json(status, 200) : c.json(status, 201);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/api/v1/integrations/{slug}',
      tags: TAGS,
      summary: 'Disconnect: forget the stored credentials (idempotent)',
      request: { params: SlugParam },
      errors: [404],
      responses: { 204: { description: 'Disconnected (or was not connected)' } },
    }),
    async (c) => {
      await service().disconnect(c.req.valid('param').slug, { tenant: principalOf(c).tenant });
      await audit(c, 'integration.disconnect', { type: 'integration', id: c.req.valid('param').slug });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/integrations/{slug}/status',
      tags: TAGS,
      summary:
        'Circuit state and counters, endpoint health, region, last error, credential fields set, actions',
      request: { params: SlugParam },
      errors: [404],
      responses: { 200: jsonResponse(IntegrationStatusSchema, 'The status') },
    }),
    async (c) => {
      const { slug } = c.req.valid('param');
      return c.json(await service().status(slug, { tenant: principalOf(c).tenant }), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/integrations/{slug}/test',
      tags: TAGS,
      summary: 'Test the stored credentials against the vendor',
      request: { params: SlugParam },
      errors: [404, 409],
      responses: { 200: jsonResponse(IntegrationResultSchema, 'The result (`success` says how it went)') },
    }),
    async (c) => {
      const { slug } = c.req.valid('param');
      const result = await service().test(slug, { tenant: principalOf(c).tenant, signal: c.req.raw.signal });
      return c.json(result, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/integrations/{slug}/actions/{action}',
      tags: TAGS,
      summary: 'Run a connector action (the same as the workflow step `connector.<slug>.<action>`)',
      request: {
        params: ActionParams,
        body: { required: true, content: { 'application/json': { schema: ActionBody } } },
      },
      errors: [400, 404, 409, 413, 415],
      responses: { 200: jsonResponse(IntegrationResultSchema, 'The result (`success` says how it went)') },
    }),
    async (c) => {
      const { slug, action } = c.req.valid('param');
      const { input, fileId, derivative } = c.req.valid('json');
      const result = await service().action(slug, action, input, {
        tenant: principalOf(c).tenant,
        signal: c.req.raw.signal,
        ...(fileId ? { fileId } : {}),
        ...(derivative ? { derivative } : {}),
      });
      return c.json(result, 200);
    },
  );
}
