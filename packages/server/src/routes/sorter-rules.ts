import {
  ErrorCode,
  FileForgeError,
  type Forge,
  parseRules,
  type Rule,
  ruleJsonSchema,
} from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { principalOf } from '../auth/ownership.js';
import { notFound } from '../errors/respond.js';
import { readDefinitionBody, YAML_MEDIA_TYPES } from '../http/definition-body.js';
import { jsonSchemaComponent } from '../http/json-schema-component.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { asFieldProblems } from '../http/validate.js';
import { audit } from '../middleware/audit.js';
import { RuleIdParam } from '../schemas/sorter.js';

/**
 * A request body that is one rule, as JSON or YAML. Documented with plain schema objects, so
 * zod-openapi adds no validator of its own: {@link readRule} reads both formats.
 */
function ruleBody() {
  const yaml = { schema: { type: 'string' as const, description: 'The same rule written in YAML' } };
  return {
    required: true,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/Rule' } },
      ...Object.fromEntries(YAML_MEDIA_TYPES.map((type) => [type, yaml])),
    },
  };
}

/** Reads and validates one rule from a JSON or YAML body: 400 `VALIDATION_FAILED` with `details.fields`. */
async function readRule(c: Context): Promise<Rule> {
  const { format, text } = await readDefinitionBody(c);
  let rules: Rule[];
  try {
    rules = parseRules(text, format);
  } catch (error) {
    throw asFieldProblems(error);
  }
  const [rule] = rules;
  if (!rule || rules.length !== 1) {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, 'Send exactly one rule', {
      details: { fields: [{ path: '', message: 'Expected one rule' }] },
    });
  }
  return rule;
}

/**
 * Sorting rules of the caller's tenant: `GET/POST /api/v1/sorter/rules`,
 * `GET/PUT/DELETE /api/v1/sorter/rules/{id}` (`{id}` is the rule's own id) and the rule's JSON
 * Schema at `GET /api/v1/sorter/rules/schema`. Bodies are JSON or YAML
 * (`Content-Type: application/yaml`).
 */
export function registerSorterRuleRoutes(app: ApiApp, forge: Forge): void {
  const jsonSchema = ruleJsonSchema();
  const RuleSchema = jsonSchemaComponent<Rule>(app, 'Rule', jsonSchema);
  const RuleList = z.object({ items: z.array(RuleSchema) });

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/sorter/rules/schema',
      tags: ['Sorter'],
      summary: 'The JSON Schema of a sorting rule (for editors and validators)',
      responses: { 200: jsonResponse(z.record(z.string(), z.unknown()), 'JSON Schema, draft 2020-12') },
    }),
    (c) => c.json(jsonSchema, 200),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/sorter/rules',
      tags: ['Sorter'],
      summary: 'List the sorting rules, in the order they are tried',
      responses: { 200: jsonResponse(RuleList, 'The rules') },
    }),
    async (c) => c.json({ items: await forge.sorter.rules.list(principalOf(c).tenant) }, 200),
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/sorter/rules',
      tags: ['Sorter'],
      summary: 'Create a rule (JSON or YAML); its `id` names it from then on',
      request: { body: ruleBody() },
      errors: [400, 409, 413, 415],
      responses: { 201: jsonResponse(RuleSchema, 'Created') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const rule = await readRule(c);
      if (await forge.sorter.rules.get(tenant, rule.id)) {
        throw new FileForgeError(
          ErrorCode.CONFLICT,
          `A rule with id "${rule.id}" exists; PUT it to replace it`,
          {
            details: { field: 'id' },
          },
        );
      }
      const saved = await forge.sorter.rules.put(tenant, rule);
      await audit(c, 'sorter.rule_put', { type: 'rule', id: saved.id }, { created: true });
      return c.json(saved, 201, { Location: `/api/v1/sorter/rules/${encodeURIComponent(saved.id)}` });
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/sorter/rules/{id}',
      tags: ['Sorter'],
      summary: 'Get one rule',
      request: { params: RuleIdParam },
      errors: [404],
      responses: { 200: jsonResponse(RuleSchema, 'The rule') },
    }),
    async (c) => {
      const rule = await forge.sorter.rules.get(principalOf(c).tenant, c.req.valid('param').id);
      if (!rule) throw notFound('Rule');
      return c.json(rule, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'put',
      path: '/api/v1/sorter/rules/{id}',
      tags: ['Sorter'],
      summary: 'Replace a rule (JSON or YAML); the body’s `id` must be the one in the path',
      request: { params: RuleIdParam, body: ruleBody() },
      errors: [400, 404, 413, 415],
      responses: { 200: jsonResponse(RuleSchema, 'Replaced') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      const { id } = c.req.valid('param');
      if (!(await forge.sorter.rules.get(tenant, id))) throw notFound('Rule');
      const rule = await readRule(c);
      if (rule.id !== id) {
        throw new FileForgeError(
          ErrorCode.VALIDATION_FAILED,
          'The rule’s id differs from the one in the path',
          {
            details: { fields: [{ path: 'id', message: `Expected "${id}"` }] },
          },
        );
      }
      const saved = await forge.sorter.rules.put(tenant, rule);
      await audit(c, 'sorter.rule_put', { type: 'rule', id: saved.id }, { created: false });
      return c.json(saved, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: '/api/v1/sorter/rules/{id}',
      tags: ['Sorter'],
      summary: 'Delete a rule (files it sorted stay where they are)',
      request: { params: RuleIdParam },
      errors: [404],
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      const removed = await forge.sorter.rules.remove(principalOf(c).tenant, c.req.valid('param').id);
      if (!removed) throw notFound('Rule');
      await audit(c, 'sorter.rule_delete', { type: 'rule', id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
}
