import { type Forge, parseRules, type Rule } from '@fileforge/core';
import { principalOf } from '../auth/ownership.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { sortPlanItem, sortRunResource } from '../http/sorter-resource.js';
import { asFieldProblems } from '../http/validate.js';
import {
  PageQuery,
  SortPlanSchema,
  SortRequestBody,
  SortRunIdParam,
  SortRunListSchema,
  SortRunSchema,
  SortRunUndoneSchema,
} from '../schemas/sorter.js';

type SortRequest = { fileIds?: string[]; rules?: unknown[] };

/** Files one simulate or apply covers without `fileIds`: as many as `fileIds` may name. */
export const MAX_SORT_FILES = 10_000;

/** The SDK's `{ fileIds?, rules? }`, with inline rules validated by the rule schema (400 with `details.fields`). */
function sortInput(body: SortRequest) {
  let rules: Rule[] | undefined;
  try {
    rules = body.rules === undefined ? undefined : parseRules({ rules: body.rules });
  } catch (error) {
    throw asFieldProblems(error);
  }
  return {
    ...(body.fileIds ? { fileIds: body.fileIds } : {}),
    ...(rules ? { rules } : {}),
    maxFiles: MAX_SORT_FILES,
  };
}

const sortBody = { required: true, content: { 'application/json': { schema: SortRequestBody } } };

/**
 * Sorting over HTTP: `POST /api/v1/sorter/simulate` (the plan; nothing changes),
 * `POST /api/v1/sorter/runs` (apply: one journaled move per file), `GET /api/v1/sorter/runs[/{runId}]`
 * and `POST /api/v1/sorter/runs/{runId}/undo`.
 */
export function registerSorterRunRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/sorter/simulate',
      tags: ['Sorter'],
      summary: 'Plan a sort without changing anything: for each file, from, to, rule and reason',
      request: { body: sortBody },
      errors: [400, 404, 413, 415],
      responses: { 200: jsonResponse(SortPlanSchema, 'The plan') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const plan = await forge.sorter.simulate({ ...sortInput(c.req.valid('json')), tenant });
      return c.json({ items: plan.items.map(sortPlanItem) }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/sorter/runs',
      tags: ['Sorter'],
      summary: 'Apply a sort: move each file once, journaled, and answer the run (undo it by its id)',
      description:
        "A move that fails midway (something the catalog does not know in the way on disk; a file of the tree where a destination needs a folder is planned as a skip) stops the run: 409 `CONFLICT` whose `details` name the run (`runId`, `runStatus: partial`, `moved`) and the path in the way; the moves before it stand and the run can be undone. `fileIds` naming a missing or another tenant's file: 404.",
      request: { body: sortBody },
      errors: [400, 404, 409, 413, 415],
      responses: { 201: jsonResponse(SortRunSchema, 'The run') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const run = await forge.sorter.apply({ ...sortInput(c.req.valid('json')), tenant });
      return c.json(sortRunResource(run), 201, { Location: `/api/v1/sorter/runs/${run.id}` });
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/sorter/runs',
      tags: ['Sorter'],
      summary: 'List sort runs, newest first',
      request: { query: PageQuery },
      errors: [400],
      responses: { 200: jsonResponse(SortRunListSchema, 'A page of runs') },
    }),
    async (c) => {
      const page = await forge.sorter.runs.list({ ...c.req.valid('query'), tenant: principalOf(c).tenant });
      return c.json({ items: page.items.map(sortRunResource), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/sorter/runs/{runId}',
      tags: ['Sorter'],
      summary: 'One sort run with its moves',
      request: { params: SortRunIdParam },
      errors: [404],
      responses: { 200: jsonResponse(SortRunSchema, 'The run') },
    }),
    async (c) => {
      const run = await forge.sorter.runs.get(c.req.valid('param').runId, { tenant: principalOf(c).tenant });
      if (!run) throw notFound('Sort run');
      return c.json(sortRunResource(run), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/sorter/runs/{runId}/undo',
      tags: ['Sorter'],
      summary: 'Move every file of a run back; stops at a file changed since, and reports it',
      request: { params: SortRunIdParam },
      errors: [404, 409],
      responses: { 200: jsonResponse(SortRunUndoneSchema, 'The run after the undo') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const { runId } = c.req.valid('param');
      if (!(await forge.sorter.runs.get(runId, { tenant }))) throw notFound('Sort run');
      return c.json(sortRunResource(await forge.sorter.undo(runId, { tenant })), 200);
    },
  );
}
