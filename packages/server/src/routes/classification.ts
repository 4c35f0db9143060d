import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { fileResource } from '../http/resource.js';
import { FileListSchema, IdParam } from '../schemas/files.js';
import { ClassificationSchema, CorrectionBody, OpaquePageQuery } from '../schemas/sorter.js';

/**
 * Too few labels (none, or one category only) is a state of the tenant, not a bad request:
 * 409 `CONFLICT`, like training with no labels at all.
 */
function notEnoughLabels(error: unknown): unknown {
  if (!FileForgeError.is(error) || error.code !== ErrorCode.VALIDATION_FAILED) return error;
  return new FileForgeError(ErrorCode.CONFLICT, error.message, { cause: error });
}

/** What `POST /api/v1/classifier/train` answers. */
const TrainedSchema = z
  .object({
    categories: z.array(z.string()),
    labelCount: z.number().int(),
    trainedAt: z.string(),
  })
  .openapi('ClassifierModelSummary');

/**
 * Classification over HTTP: a file's category with its explanation
 * (`GET /api/v1/files/{id}/classification`), confirming or correcting it (`POST` the same path,
 * recorded with the person), the review queue (`GET /api/v1/review`) and retraining
 * (`POST /api/v1/classifier/train`).
 */
export function registerClassificationRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/files/{id}/classification',
      tags: ['Sorter'],
      summary: 'A file’s category, who decided it (rule, model or person) and why',
      request: { params: IdParam },
      errors: [404],
      responses: { 200: jsonResponse(ClassificationSchema, 'The classification') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const { id } = c.req.valid('param');
      if (!(await forge.files.get(id, { tenant }))) throw notFound('File');
      return c.json(await forge.sorter.classification(tenant, id), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/files/{id}/classification',
      tags: ['Sorter'],
      summary: 'Confirm or correct a file’s category (a label the classifier learns from)',
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: CorrectionBody } } },
      },
      errors: [400, 404],
      responses: { 200: jsonResponse(ClassificationSchema, 'The classification, decided by you') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { id } = c.req.valid('param');
      if (!(await forge.files.get(id, { tenant: principal.tenant }))) throw notFound('File');
      const { category } = c.req.valid('json');
      const decided = await forge.sorter.correct(principal.tenant, id, category, principal.userId);
      return c.json(decided, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/review',
      tags: ['Sorter'],
      summary: 'Files the classifier was unsure of, waiting for a person',
      request: { query: OpaquePageQuery },
      errors: [400],
      responses: { 200: jsonResponse(FileListSchema, 'A page of files in review') },
    }),
    async (c) => {
      const page = await forge.sorter.review(principalOf(c).tenant, c.req.valid('query'));
      return c.json({ items: page.items.map(fileResource), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/classifier/train',
      tags: ['Sorter'],
      summary: 'Retrain the classifier now from the confirmed and corrected labels',
      errors: [409],
      responses: {
        200: jsonResponse(TrainedSchema, 'The new model (409 CONFLICT while there are no labels)'),
      },
    }),
    async (c) => {
      const model = await forge.sorter.train(principalOf(c).tenant).catch((error: unknown) => {
        throw notEnoughLabels(error);
      });
      return c.json(
        { categories: model.categories, labelCount: model.labelCount, trainedAt: model.trainedAt },
        200,
      );
    },
  );
}
