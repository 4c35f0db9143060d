import type { Catalog } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import type { AuthService } from '../auth/service.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit } from '../middleware/audit.js';
import { ApiKeySchema, CreatedApiKeySchema, NewApiKeyBody } from '../schemas/auth.js';

const visible = <T extends { secretHash: string }>({ secretHash: _hash, ...key }: T) => key;

/** Admin-only API key management. The secret is returned once, by the create call. */
export function registerApiKeyRoutes(app: ApiApp, auth: AuthService, catalog: Catalog): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/api-keys',
      tags: ['API keys'],
      summary: 'List the API keys of your tenant (never their secrets)',
      responses: { 200: jsonResponse(z.object({ items: z.array(ApiKeySchema) }), 'API keys') },
    }),
    async (c) =>
      c.json({ items: (await catalog.accounts.listApiKeys(principalOf(c).tenant)).map(visible) }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/api-keys',
      tags: ['API keys'],
      summary: 'Create an API key; its secret is shown in this response only',
      request: { body: { required: true, content: { 'application/json': { schema: NewApiKeyBody } } } },
      errors: [400],
      responses: { 201: jsonResponse(CreatedApiKeySchema, 'Created') },
    }),
    async (c) => {
      const created = await auth.createApiKey(principalOf(c), c.req.valid('json'));
      await audit(
        c,
        'key.create',
        { type: 'api_key', id: created.id, name: created.name },
        { role: created.role },
      );
      return c.json(created, 201);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/api/v1/api-keys/{id}',
      tags: ['API keys'],
      summary: 'Revoke an API key',
      request: {
        params: z.object({
          id: z
            .string()
            .max(64)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      errors: [404],
      responses: { 204: { description: 'Revoked' } },
    }),
    async (c) => {
      const key = await catalog.accounts.getApiKey(c.req.valid('param').id);
      if (!key || key.tenant !== principalOf(c).tenant) throw notFound('API key');
      await catalog.accounts.updateApiKey(key.id, { revokedAt: key.revokedAt ?? new Date().toISOString() });
      await audit(c, 'key.revoke', { type: 'api_key', id: key.id, name: key.name });
      return c.body(null, 204);
    },
  );
}
