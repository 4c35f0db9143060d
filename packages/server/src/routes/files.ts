import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { errorResponse, notFound } from '../errors/respond.js';
import { derivativeResource, fileResource } from '../http/resource.js';
import type { ServerEnv } from '../server-env.js';

const listQuery = z.object({
  status: z.enum(['pending', 'processing', 'processed', 'failed', 'rejected']).optional(),
  mime: z
    .string()
    .regex(/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i, 'expected type/subtype or type/*')
    .optional(),
  name: z.string().min(1).max(255).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Throws `VALIDATION_FAILED` with the field paths of a zod failure. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new FileForgeError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', {
    details: { fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

/** `GET /api/v1/files`, `GET|DELETE /api/v1/files/{id}`, derivatives and reprocess. */
export function filesRoutes(forge: Forge) {
  const app = new Hono<ServerEnv>();

  app.get('/', async (c) => {
    const query = validate(listQuery, c.req.query());
    const page = await forge.files.list(query);
    return c.json({ items: page.items.map(fileResource), nextCursor: page.nextCursor });
  });

  app.get('/:id', async (c) => {
    const record = await forge.files.get(c.req.param('id'));
    if (!record) return errorResponse(c, notFound('File'));
    return c.json(fileResource(record));
  });

  app.delete('/:id', async (c) => {
    await forge.files.delete(c.req.param('id'));
    return c.body(null, 204);
  });

  app.get('/:id/derivatives', async (c) => {
    const list = await forge.files.derivatives(c.req.param('id'));
    return c.json({ items: list.map(derivativeResource) });
  });

  app.post('/:id/reprocess', async (c) => {
    const record = await forge.files.reprocess(c.req.param('id'));
    return c.json(fileResource(record), 202);
  });

  return app;
}
