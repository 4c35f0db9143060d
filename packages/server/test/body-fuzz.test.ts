/**
 * Every JSON (and YAML) write operation of the served OpenAPI document, sent bodies generated
 * from its own request schema and then spoiled (wrong types, values out of range, extra and missing
 * fields, deep nesting, text that is not JSON) by a seeded generator: the server must answer
 * each below 500, and every refusal must be the documented JSON error with a code.
 */
import { createRng, type Rng } from '@fileforge/test-fixtures/random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerProblem,
  type FuzzTarget,
  type OpenApiDocument,
  startFuzzTarget,
} from './support/fuzz-target.js';
import { stopTestServers } from './support/server.js';

/** Requests per operation. */
const CASES = 15;

/**
 * Left out: what would take the test's own credentials or data away (password, the admin's
 * account, the tenant's quota), and what runs long on purpose (backups, training).
 */
const SKIPPED = new Set([
  'post /api/v1/auth/password',
  'patch /api/v1/users/{id}',
  'put /api/v1/tenants/current/quota',
  'post /api/v1/backups',
  'post /api/v1/classifier/train',
]);

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

let target: FuzzTarget;

beforeAll(async () => {
  target = await startFuzzTarget();
}, 60_000);

afterAll(stopTestServers);

const STRINGS = [
  '',
  'x',
  'a\nb',
  'é'.repeat(300),
  '../../etc/passwd',
  '\u0000',
  '{{ steps.x.output }}',
  'x'.repeat(5000),
];
const NUMBERS = [-1, 0, 1.5, 2 ** 53, 1e308, -1e308];

/** A value of no particular shape. */
function anything(r: Rng, depth = 0): unknown {
  switch (r.int(0, depth > 3 ? 3 : 6)) {
    case 0:
      return r.pick(STRINGS);
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return r.pick([true, false, null]);
    case 3:
      return r.pick([[], {}]);
    case 4:
      return Array.from({ length: r.int(0, 3) }, () => anything(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(0, 3) }, () => [
          r.pick(['id', 'name', 'type', 'x', '__proto__']),
          anything(r, depth + 1),
        ]),
      );
  }
}

/** A value shaped by `schema` most of the time, wrong some of the time. */
function fromSchema(r: Rng, schema: Schema, components: Record<string, Schema>, depth = 0): unknown {
  if (r.chance(0.15) || depth > 5) return anything(r, depth);
  if (schema.$ref) return fromSchema(r, components[schema.$ref.split('/').pop()!] ?? {}, components, depth);
  const options = schema.anyOf ?? schema.oneOf;
  if (options && options.length > 0) return fromSchema(r, r.pick(options), components, depth);
  if (schema.allOf && schema.allOf.length > 0) return fromSchema(r, r.pick(schema.allOf), components, depth);
  if (schema.enum && schema.enum.length > 0 && r.chance(0.8)) return r.pick(schema.enum);
  const type = Array.isArray(schema.type) ? r.pick(schema.type) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {}))
        if (r.chance(0.75)) out[name] = fromSchema(r, property, components, depth + 1);
      if (r.chance(0.1)) out.unexpected = anything(r, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: r.int(0, 3) }, () =>
        fromSchema(r, schema.items ?? {}, components, depth + 1),
      );
    case 'string':
      return r.chance(0.5) ? r.pick(Object.values(target.known)) : r.pick(STRINGS);
    case 'integer':
    case 'number':
      return r.chance(0.5) ? r.int(0, 100) : r.pick(NUMBERS);
    case 'boolean':
      return r.chance(0.5);
    default:
      return anything(r, depth);
  }
}

/** YAML only YAML can say: tags, anchors and merges, several documents, keys that are not text. */
const YAML_ONLY = [
  'a: !!binary aGVsbG8=\nb: !!set { x, y }',
  'base: &b { name: x, on: { manual: true } }\nname: y\n<<: *b',
  '---\nname: one\n---\nname: two',
  '? [complex, key]\n: value',
  'name: !!js/function "function () {}"',
  'steps:\n  a: &a { uses: process, needs: [a] }\n  b: *a',
  'name: 0x1F\non: { schedule: "* * * * *" }\nsteps: {}',
  '%YAML 1.1\n---\nyes: no',
];

/** A body as sent: JSON of the value, or now and then text that is not JSON at all. */
function bodyText(r: Rng, value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  switch (r.int(0, 9)) {
    case 0:
      return json.slice(0, r.int(0, Math.max(0, json.length - 1)));
    case 1:
      return `${'['.repeat(5000)}${']'.repeat(5000)}`;
    case 2:
      return r.pick(['', 'null', 'undefined', '{"a":', '\u0000', '- just: yaml']);
    default:
      return json;
  }
}

describe('JSON write operations under hostile bodies (seeded fuzz)', () => {
  it('answers every request below 500, with a JSON error code for every refusal', {
    timeout: 180_000,
  }, async () => {
    type WriteOperation = { requestBody?: { content?: Record<string, { schema?: Schema }> } };
    const doc = (await target.document<WriteOperation>()) as OpenApiDocument<WriteOperation> & {
      components: { schemas: Record<string, Schema> };
    };
    const failures: string[] = [];
    let operations = 0;
    let refusals = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema || SKIPPED.has(`${method} ${path}`)) continue;
        operations++;
        for (let n = 0; n < CASES; n++) {
          const r = createRng(operations * 1000 + n + 1);
          const url = target.fillPath(path, r, () => r.pick(STRINGS));
          let body = bodyText(r, fromSchema(r, schema, doc.components.schemas));
          let contentType = r.chance(0.9)
            ? 'application/json'
            : r.pick(['text/plain', 'application/xml', '']);
          if (op.requestBody?.content?.['application/yaml'] && r.chance(0.4)) {
            // JSON is YAML too; and some bodies only YAML can write.
            contentType = r.pick(['application/yaml', 'text/yaml']);
            if (r.chance(0.5)) body = r.pick(YAML_ONLY);
          }
          const res = await target.server.api(url, {
            method: method.toUpperCase(),
            headers: contentType ? { 'content-type': contentType } : {},
            body,
          });
          if (res.status >= 400 && res.status < 500) refusals++;
          const problem = answerProblem(res.status, await res.text(), true);
          if (problem) failures.push(`${method.toUpperCase()} ${url} ${body.slice(0, 200)} → ${problem}`);
        }
      }
    }
    expect(operations).toBeGreaterThan(15);
    expect(failures).toEqual([]);
    expect(refusals).toBeGreaterThan(100);
  });
});
