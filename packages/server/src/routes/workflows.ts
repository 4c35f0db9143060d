import {
  ErrorCode,
  FileForgeError,
  type Forge,
  type LintResult,
  type WorkflowDefinition,
  type WorkflowInput,
  type WorkflowRecord,
  workflowSchema,
} from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z as zod } from 'zod';
import { principalOf } from '../auth/ownership.js';
import { assertMayUseSteps, saverOf } from '../auth/workflow-access.js';
import { parseJsonBody, readDefinitionBody, YAML_MEDIA_TYPES } from '../http/definition-body.js';
import { jsonSchemaComponent } from '../http/json-schema-component.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit } from '../middleware/audit.js';
import { LintResultSchema, WorkflowIdParam } from '../schemas/workflows.js';

/** A definition body, as JSON or YAML; documented only (the handlers lint it themselves). */
function definitionBody() {
  const yaml = { schema: { type: 'string' as const, description: 'The same definition written in YAML' } };
  return {
    required: true,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/WorkflowDefinition' } },
      ...Object.fromEntries(YAML_MEDIA_TYPES.map((type) => [type, yaml])),
    },
  };
}

/** The definition from a JSON or YAML body, in the form the linter takes (YAML stays text). */
async function readDefinition(c: Context): Promise<unknown> {
  const { format, text } = await readDefinitionBody(c);
  return format === 'json' ? parseJsonBody(text) : text;
}

/** 422 `WORKFLOW_INVALID` with the linter's problems, unless the definition is clean. */
function assertClean(result: LintResult): WorkflowDefinition {
  if (result.ok && result.definition) return result.definition;
  const [first] = result.problems;
  throw new FileForgeError(
    ErrorCode.WORKFLOW_INVALID,
    `The workflow has ${result.problems.length} problem(s)${first ? `; first: ${first.rule} at ${first.path || 'the top'}: ${first.message}` : ''}`,
    { details: { problems: result.problems } },
  );
}

/**
 * Workflow definitions of the caller's tenant: `GET/POST /api/v1/workflows`,
 * `GET/PUT/DELETE /api/v1/workflows/{id}` and `POST /api/v1/workflows/lint`. Bodies are JSON or
 * YAML; a definition is linted before it is saved, and one with problems is refused with 422
 * `WORKFLOW_INVALID` listing `details.problems` (`{ rule, message, path }`).
 */
export function registerWorkflowRoutes(app: ApiApp, forge: Forge): void {
  const Definition = jsonSchemaComponent<WorkflowDefinition>(
    app,
    'WorkflowDefinition',
    zod.toJSONSchema(workflowSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  );
  const Workflow = z
    .object({
      id: z.string(),
      tenant: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      definition: Definition,
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .openapi('Workflow');
  // `savedBy` (whose rights the triggers act with) stays internal, like a run's causation.
  const resource = ({ savedBy: _savedBy, ...w }: WorkflowRecord) => ({
    ...w,
    links: { self: `/api/v1/workflows/${w.id}`, runs: `/api/v1/workflows/${w.id}/runs` },
  });
  const lint = async (c: Context) => forge.workflows.lint((await readDefinition(c)) as WorkflowInput);
  // `get`, `update` and `remove` answer NOT_FOUND for a missing id or another tenant's.
  const mustGet = (tenant: string, id: string) => forge.workflows.get(id, { tenant });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/workflows',
      tags: ['Workflows'],
      summary: 'List the workflows',
      responses: { 200: jsonResponse(z.object({ items: z.array(Workflow) }), 'The workflows') },
    }),
    async (c) => {
      const items = await forge.workflows.list({ tenant: principalOf(c).tenant });
      return c.json({ items: items.map(resource) }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/workflows',
      tags: ['Workflows'],
      summary: 'Save a workflow (JSON or YAML), linted first; the answer carries its id',
      request: { body: definitionBody() },
      errors: [400, 403, 409, 413, 415, 422],
      responses: { 201: jsonResponse(Workflow, 'Created') },
    }),
    async (c) => {
      const principal = principalOf(c);
      const definition = assertClean(await lint(c));
      assertMayUseSteps(principal, definition);
      const saved = await forge.workflows.define(definition, {
        tenant: principal.tenant,
        savedBy: saverOf(principal),
      });
      await audit(c, 'workflow.put', { type: 'workflow', id: saved.id, name: saved.name }, { created: true });
      return c.json(resource(saved), 201, { Location: `/api/v1/workflows/${saved.id}` });
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/workflows/lint',
      tags: ['Workflows'],
      summary: 'Lint a definition without saving it',
      request: { body: definitionBody() },
      errors: [400, 413, 415],
      responses: { 200: jsonResponse(LintResultSchema, 'The problems found (none when ok)') },
    }),
    async (c) => {
      const { ok, problems } = await lint(c);
      return c.json({ ok, problems }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/workflows/{id}',
      tags: ['Workflows'],
      summary: 'Get one workflow',
      request: { params: WorkflowIdParam },
      errors: [404],
      responses: { 200: jsonResponse(Workflow, 'The workflow') },
    }),
    async (c) => c.json(resource(await mustGet(principalOf(c).tenant, c.req.valid('param').id)), 200),
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/api/v1/workflows/{id}',
      tags: ['Workflows'],
      summary:
        'Replace a workflow’s definition (linted first); runs under way keep their steps and read each step’s settings from it as the step starts',
      request: { params: WorkflowIdParam, body: definitionBody() },
      errors: [400, 403, 404, 409, 413, 415, 422],
      responses: { 200: jsonResponse(Workflow, 'Replaced') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const { id } = c.req.valid('param');
      await mustGet(tenant, id);
      const definition = assertClean(await lint(c));
      assertMayUseSteps(principalOf(c), definition);
      const saved = await forge.workflows.update(id, definition, {
        tenant,
        savedBy: saverOf(principalOf(c)),
      });
      await audit(
        c,
        'workflow.put',
        { type: 'workflow', id: saved.id, name: saved.name },
        { created: false },
      );
      return c.json(resource(saved), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/api/v1/workflows/{id}',
      tags: ['Workflows'],
      summary: 'Delete a workflow and its run history',
      request: { params: WorkflowIdParam },
      errors: [404],
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await forge.workflows.remove(c.req.valid('param').id, { tenant: principalOf(c).tenant });
      await audit(c, 'workflow.delete', { type: 'workflow', id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
}
