import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FileForgeError } from '../errors/fileforge-error.js';
import { parseRules } from './parse-rules.js';
import { ruleJsonSchema } from './rule-schema.js';

const SPEC_EXAMPLE = `
id: invoices
category: invoices
priority: 10
continue: false
match: all
conditions:
  - { field: mime, op: in, value: [application/pdf] }
  - { field: size, op: lte, value: "10 MiB" }
  - { field: name, op: glob, value: "*invoice*" }
  - { field: text, algorithm: any, value: 'invoice "amount due"', caseInsensitive: true }
  - { not: { field: metadata.image.width, op: gt, value: 4000 } }
destination: "invoices/{created:YYYY}/{created:MM}/{name}{ext}"
onConflict: rename_new
`;

function issuesOf(run: () => unknown): Array<{ path: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(FileForgeError.is(error) && error.code).toBe('VALIDATION_FAILED');
    return (error as FileForgeError).details?.issues as Array<{ path: string; message: string }>;
  }
  throw new Error('expected a validation failure');
}

describe('parseRules', () => {
  it('reads the spec example and fills defaults', () => {
    const [rule] = parseRules(SPEC_EXAMPLE);
    expect(rule?.conditions).toHaveLength(5);
    expect(rule?.enabled).toBe(true);
    expect(parseRules('id: bare')[0]).toEqual({
      id: 'bare',
      category: null,
      priority: 0,
      continue: false,
      match: 'all',
      conditions: [],
      onConflict: 'rename_new',
      enabled: true,
    });
  });

  it('accepts a list, { rules: [...] }, JSON text and parsed values', () => {
    expect(parseRules('[{ "id": "a" }, { "id": "b" }]', 'json').map((r) => r.id)).toEqual(['a', 'b']);
    expect(parseRules('rules:\n  - id: a\n  - id: b\n').map((r) => r.id)).toEqual(['a', 'b']);
    expect(
      parseRules({ id: 'a', conditions: [{ algorithm: 'exact', value: 'bc hydro' }] })[0]?.conditions[0],
    ).toEqual({
      field: 'text',
      algorithm: 'exact',
      value: 'bc hydro',
      caseInsensitive: true,
    });
  });

  it('reports every problem with its path', () => {
    const issues = issuesOf(() =>
      parseRules(`
rules:
  - id: a
    conditions:
      - { field: size, op: lte, value: "10 XB" }
      - { field: nmae, op: eq, value: x }
      - { field: name, op: between, value: 1 }
      - { field: text, algorithm: regex, value: "(" }
      - { field: createdAt, op: gt, value: "yesterday-ish" }
  - id: a
    destination: "{nope}/{name}"
`),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'rules[0].conditions[0].value',
      'rules[0].conditions[1].field',
      'rules[0].conditions[2].op',
      'rules[0].conditions[3].value',
      'rules[0].conditions[4].value',
      'rules[1].destination',
    ]);
    expect(issues[5]?.message).toMatch(/Unknown placeholder \{nope\}/);
  });

  it('refuses duplicate ids, unknown keys and text that is not YAML', () => {
    expect(issuesOf(() => parseRules('[{id: a}, {id: a}]'))).toEqual([
      { path: '[1].id', message: 'Duplicate rule id "a" (already used by [0])' },
    ]);
    expect(issuesOf(() => parseRules('{id: a, colour: red}'))[0]?.message).toMatch(/colour/);
    expect(issuesOf(() => parseRules('id: [unclosed'))[0]?.message).toMatch(/Not valid YAML/);
    expect(issuesOf(() => parseRules('{"id": 1', 'json'))[0]?.message).toMatch(/Not valid json/);
  });

  it('bounds what a pattern can cost: fuzzy phrases up to 256 characters (issue 10 review)', () => {
    const long = 'x'.repeat(257);
    expect(
      issuesOf(() => parseRules({ id: 'a', conditions: [{ algorithm: 'fuzzy', value: long }] })),
    ).toEqual([
      { path: 'conditions[0].value', message: '`fuzzy` matches a phrase of at most 256 characters' },
    ]);
  });

  it('requires a category for auto', () => {
    expect(issuesOf(() => parseRules('{id: a, conditions: [{algorithm: auto}]}'))[0]?.path).toBe(
      'conditions',
    );
  });
});

describe('ruleJsonSchema', () => {
  it('is JSON Schema that accepts the spec example and rejects a wrong operator', () => {
    const schema = ruleJsonSchema();
    expect(schema.$schema).toMatch(/json-schema\.org/);
    const validate = z.fromJSONSchema(schema);
    const [example] = parseRules(SPEC_EXAMPLE);
    expect(validate.safeParse(example).success).toBe(true);
    const bad = { ...example, conditions: [{ field: 'size', op: 'between', value: 1 }] };
    expect(validate.safeParse(bad).success).toBe(false);
    expect(validate.safeParse({ id: 'x', onConflict: 'explode' }).success).toBe(false);
  });
});
