import type { Forge, WorkflowRun } from '@fileforge/core';
import { assertCanChange, principalOf } from '../auth/ownership.js';
import { assertMayUseSteps } from '../auth/workflow-access.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { OpaquePageQuery } from '../schemas/sorter.js';
import {
  StartRunBody,
  WorkflowIdParam,
  WorkflowRunListSchema,
  WorkflowRunParams,
  WorkflowRunSchema,
} from '../schemas/workflows.js';

/** A run as the API shows it: without the tenant and causation internals. */
function runResource(run: WorkflowRun) {
  const { tenant: _tenant, causedBy: _causedBy, ...rest } = run;
  return rest;
}

/**
 * Runs of a workflow: start one on demand (`POST /api/v1/workflows/{id}/runs` `{ fileId?, input? }`
 * → 202), list them, read one with its step timeline, retry a failed run from its failed step,
 * cancel one under way. A run of another workflow, or of another tenant, is 404.
 */
export function registerWorkflowRunRoutes(app: ApiApp, forge: Forge): void {
  // `get` and `getRun` answer NOT_FOUND for a missing id or another tenant's.
  const workflowOf = (tenant: string, id: string) => forge.workflows.get(id, { tenant });
  const runOf = async (tenant: string, workflowId: string, runId: string) => {
    const run = await forge.workflows.getRun(runId, { tenant });
    if (run.workflowId !== workflowId) throw notFound('Workflow run');
    return run;
  };
  const runLocation = (run: WorkflowRun) => `/api/v1/workflows/${run.workflowId}/runs/${run.id}`;

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/workflows/{id}/runs',
      tags: ['Workflows'],
      summary: 'Start a run now (manual trigger); follow it at the Location',
      request: {
        params: WorkflowIdParam,
        body: { required: false, content: { 'application/json': { schema: StartRunBody } } },
      },
      errors: [400, 403, 404, 409],
      responses: { 202: jsonResponse(WorkflowRunSchema, 'The run, queued') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { tenant } = principal;
      const workflow = await workflowOf(tenant, c.req.valid('param').id);
      assertMayUseSteps(principal, workflow.definition);
      const { fileId, input } = c.req.valid('json');
      if (fileId !== undefined) {
        const file = await forge.files.get(fileId, { tenant });
        if (!file) throw notFound('File');
        assertCanChange(principal, file);
      }
      const run = await forge.workflows.run(workflow.id, {
        tenant,
        ...(fileId === undefined ? {} : { fileId }),
        ...(input === undefined ? {} : { input }),
      });
      return c.json(runResource(run), 202, { Location: runLocation(run) });
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/workflows/{id}/runs',
      tags: ['Workflows'],
      summary: 'List a workflow’s runs, newest first',
      request: { params: WorkflowIdParam, query: OpaquePageQuery },
      errors: [400, 404],
      responses: { 200: jsonResponse(WorkflowRunListSchema, 'A page of runs') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const workflow = await workflowOf(tenant, c.req.valid('param').id);
      const page = await forge.workflows.listRuns(workflow.id, { ...c.req.valid('query'), tenant });
      return c.json({ items: page.items.map(runResource), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/workflows/{id}/runs/{runId}',
      tags: ['Workflows'],
      summary: 'One run with its step timeline (status, attempts, times, output or error per step)',
      request: { params: WorkflowRunParams },
      errors: [404],
      responses: { 200: jsonResponse(WorkflowRunSchema, 'The run') },
    }),
    async (c) => {
      const { id, runId } = c.req.valid('param');
      return c.json(runResource(await runOf(principalOf(c).tenant, id, runId)), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/workflows/{id}/runs/{runId}/retry',
      tags: ['Workflows'],
      summary: 'Retry a failed run from its failed step (completed steps are not run again)',
      request: { params: WorkflowRunParams },
      errors: [403, 404, 409],
      responses: { 202: jsonResponse(WorkflowRunSchema, 'The run, queued again') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { tenant } = principal;
      const { id, runId } = c.req.valid('param');
      const failed = await runOf(tenant, id, runId);
      assertMayUseSteps(principal, (await workflowOf(tenant, id)).definition);
      if (failed.fileId) {
        const file = await forge.files.get(failed.fileId, { tenant });
        if (file) assertCanChange(principal, file);
      }
      const run = await forge.workflows.retryRun(runId, { tenant });
      return c.json(runResource(run), 202, { Location: runLocation(run) });
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/workflows/{id}/runs/{runId}/cancel',
      tags: ['Workflows'],
      summary: 'Cancel a run; steps under way are aborted, pending ones never start',
      request: { params: WorkflowRunParams },
      errors: [404, 409],
      responses: { 200: jsonResponse(WorkflowRunSchema, 'The run') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const { id, runId } = c.req.valid('param');
      await runOf(tenant, id, runId);
      return c.json(runResource(await forge.workflows.cancelRun(runId, { tenant })), 200);
    },
  );
}
