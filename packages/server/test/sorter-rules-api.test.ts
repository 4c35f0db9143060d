import { afterEach, describe, expect, it } from 'vitest';
import { jsonBody as json, yamlBody as yaml } from './support/access-server.js';
import { startTestServer, stopTestServers, type TestServer } from './support/server.js';

afterEach(stopTestServers);

interface ErrorBody {
  error: { code: string; message: string; details?: { fields?: Array<{ path: string; message: string }> } };
}

const INVOICES_YAML = `
id: invoices
category: invoices
priority: 10
conditions:
  - { field: mime, op: in, value: [application/pdf] }
  - { field: text, algorithm: any, value: invoice }
destination: "invoices/{created:YYYY}/{created:MM}/{name}{ext}"
`;

async function fieldsOf(res: Response) {
  const body = (await res.json()) as ErrorBody;
  return { code: body.error.code, paths: (body.error.details?.fields ?? []).map((f) => f.path) };
}

async function ruleIds(api: TestServer['api']) {
  const res = await api('/api/v1/sorter/rules');
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ id: string }> }).items.map((r) => r.id);
}

describe('sorting rules over HTTP', () => {
  it('creates a rule from YAML and from JSON, lists, reads, replaces and deletes it', async () => {
    const { api } = await startTestServer();

    const fromYaml = await api('/api/v1/sorter/rules', yaml('POST', INVOICES_YAML));
    expect(fromYaml.status, await fromYaml.clone().text()).toBe(201);
    expect(fromYaml.headers.get('location')).toBe('/api/v1/sorter/rules/invoices');
    const invoices = (await fromYaml.json()) as Record<string, unknown>;
    // Defaults are filled in by the rule schema.
    expect(invoices).toMatchObject({
      id: 'invoices',
      category: 'invoices',
      priority: 10,
      onConflict: 'rename_new',
    });

    const fromJson = await api(
      '/api/v1/sorter/rules',
      json('POST', {
        id: 'recipes',
        category: 'recipes',
        conditions: [{ field: 'text', algorithm: 'all', value: 'oven flour' }],
      }),
    );
    expect(fromJson.status, await fromJson.clone().text()).toBe(201);

    // Highest priority first.
    expect(await ruleIds(api)).toEqual(['invoices', 'recipes']);
    const one = await api('/api/v1/sorter/rules/recipes');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: 'recipes', category: 'recipes', priority: 0 });

    const replaced = await api(
      '/api/v1/sorter/rules/recipes',
      json('PUT', { id: 'recipes', category: 'cooking', priority: 20 }),
    );
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    expect(await replaced.json()).toMatchObject({ category: 'cooking', priority: 20 });
    expect(await ruleIds(api)).toEqual(['recipes', 'invoices']);

    expect((await api('/api/v1/sorter/rules/recipes', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/api/v1/sorter/rules/recipes')).status).toBe(404);
    expect((await api('/api/v1/sorter/rules/recipes', { method: 'DELETE' })).status).toBe(404);
    expect(await ruleIds(api)).toEqual(['invoices']);
  });

  it('refuses invalid rules with 400 VALIDATION_FAILED and the field paths, from JSON and YAML alike', async () => {
    const { api } = await startTestServer();
    const badJson = await api(
      '/api/v1/sorter/rules',
      json('POST', { id: 'bad', conditions: [{ field: 'size', op: 'between', value: 1 }] }),
    );
    expect(badJson.status).toBe(400);
    expect(await fieldsOf(badJson)).toEqual({ code: 'VALIDATION_FAILED', paths: ['conditions[0].op'] });

    const badYaml = await api(
      '/api/v1/sorter/rules',
      yaml('POST', 'id: bad\nconditions:\n  - { field: text, algorithm: regex, value: "(unclosed" }\n'),
    );
    expect(badYaml.status).toBe(400);
    expect(await fieldsOf(badYaml)).toEqual({ code: 'VALIDATION_FAILED', paths: ['conditions[0].value'] });

    const unknownPlaceholder = await api(
      '/api/v1/sorter/rules',
      json('POST', { id: 'out', destination: '{bogus}/{name}' }),
    );
    expect(unknownPlaceholder.status).toBe(400);
    expect((await fieldsOf(unknownPlaceholder)).paths).toEqual(['destination']);

    const notYaml = await api('/api/v1/sorter/rules', yaml('POST', 'id: [unclosed'));
    expect(notYaml.status).toBe(400);
    expect((await fieldsOf(notYaml)).code).toBe('VALIDATION_FAILED');

    const malformedJson = await api('/api/v1/sorter/rules', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"id": ',
    });
    expect(malformedJson.status).toBe(400);

    const otherType = await api('/api/v1/sorter/rules', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'id: plain',
    });
    expect(otherType.status).toBe(415);
    expect((await fieldsOf(otherType)).code).toBe('UNSUPPORTED_MEDIA_TYPE');

    // Nothing invalid was saved.
    expect(await ruleIds(api)).toEqual([]);
  });

  it('answers 409 for a second rule with a taken id, 404 for replacing a missing one, 400 for an id that differs from the path', async () => {
    const { api } = await startTestServer();
    expect((await api('/api/v1/sorter/rules', yaml('POST', INVOICES_YAML))).status).toBe(201);
    const again = await api('/api/v1/sorter/rules', yaml('POST', INVOICES_YAML));
    expect(again.status).toBe(409);
    expect((await fieldsOf(again)).code).toBe('CONFLICT');

    expect((await api('/api/v1/sorter/rules/nope', json('PUT', { id: 'nope' }))).status).toBe(404);
    const renamed = await api('/api/v1/sorter/rules/invoices', json('PUT', { id: 'other', category: 'x' }));
    expect(renamed.status).toBe(400);
    expect(await fieldsOf(renamed)).toEqual({ code: 'VALIDATION_FAILED', paths: ['id'] });
    expect(await ruleIds(api)).toEqual(['invoices']);
  });

  it('serves the rule JSON Schema, and the OpenAPI document describes rules with it', async () => {
    const { api, url } = await startTestServer();
    const res = await api('/api/v1/sorter/rules/schema');
    expect(res.status).toBe(200);
    const schema = (await res.json()) as {
      type: string;
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['id', 'category', 'priority', 'conditions', 'destination', 'onConflict']),
    );
    expect(schema.required).toContain('id');

    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(Object.keys(doc.components.schemas.Rule?.properties ?? {})).toEqual(
      Object.keys(schema.properties),
    );
    expect(Object.keys(doc.paths['/api/v1/sorter/rules']?.post?.requestBody?.content ?? {})).toEqual(
      expect.arrayContaining(['application/json', 'application/yaml']),
    );
  });
});
