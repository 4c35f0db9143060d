import type { Forge } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { assertCanChange, principalOf } from '../auth/ownership.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { derivativeResource, fileResource } from '../http/resource.js';
import { audit, fileTarget } from '../middleware/audit.js';
import { DerivativeSchema, FileListQuery, FileListSchema, FileSchema, IdParam } from '../schemas/files.js';

/** `GET /api/v1/files`, `GET|DELETE /api/v1/files/{id}`, derivatives listing and reprocess. */
export function registerFileRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/files',
      tags: ['Files'],
      summary: 'List, filter, sort and search files (newest first by default)',
      description:
        'Filters combine (all must hold). With `q` the list is a full-text search, ranked by relevance unless `sort` is given, and each item carries the `match` it was found by. Follow `nextCursor` (with the same `sort` and `order`) to reach every file.',
      request: { query: FileListQuery },
      errors: [400],
      responses: { 200: jsonResponse(FileListSchema, 'A page of files') },
    }),
    async (c) => {
      const { type, folder, ...query } = c.req.valid('query');
      const page = await forge.files.list({
        ...query,
        ...(type ? { typeFamily: type } : {}),
        ...(folder !== undefined ? { pathPrefix: folder } : {}),
        tenant: principalOf(c).tenant,
      });
      const items = page.items.map((record) => {
        const match = page.matches?.[record.id];
        return match ? { ...fileResource(record), match } : fileResource(record);
      });
      return c.json({ items, nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/files/{id}',
      tags: ['Files'],
      summary: 'Get one file record',
      request: { params: IdParam },
      errors: [404],
      responses: { 200: jsonResponse(FileSchema, 'The file record') },
    }),
    async (c) => {
      const record = await forge.files.get(c.req.valid('param').id, { tenant: principalOf(c).tenant });
      if (!record) throw notFound('File');
      return c.json(fileResource(record), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/api/v1/files/{id}',
      tags: ['Files'],
      summary: 'Delete a file, its derivatives and its blob (unless shared)',
      request: { params: IdParam },
      errors: [404],
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { id } = c.req.valid('param');
      const record = await forge.files.get(id, { tenant: principal.tenant });
      if (!record) throw notFound('File');
      assertCanChange(principal, record);
      await forge.files.delete(id, { tenant: principal.tenant });
      await audit(c, 'file.delete', fileTarget(record));
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/files/{id}/derivatives',
      tags: ['Files'],
      summary: 'List the derivatives (thumbnails, previews, …) of a file',
      request: { params: IdParam },
      errors: [404],
      responses: { 200: jsonResponse(z.object({ items: z.array(DerivativeSchema) }), 'The derivatives') },
    }),
    async (c) => {
      const list = await forge.files.derivatives(c.req.valid('param').id, { tenant: principalOf(c).tenant });
      return c.json({ items: list.map(derivativeResource) }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/files/{id}/reprocess',
      tags: ['Files'],
      summary: 'Run processing again (e.g. after new processors were added)',
      request: { params: IdParam },
      errors: [404],
      responses: { 202: jsonResponse(FileSchema, 'Processing was queued') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const record = await forge.files.get(c.req.valid('param').id, { tenant: principal.tenant });
      if (!record) throw notFound('File');
      assertCanChange(principal, record);
      const queued = await forge.files.reprocess(record.id, { tenant: principal.tenant });
      return c.json(fileResource(queued), 202);
    },
  );
}
