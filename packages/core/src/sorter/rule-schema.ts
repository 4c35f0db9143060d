import { z } from 'zod';
import { CONFLICT_MODES, type ConflictMode } from './conflict.js';
import { compileRegex } from './regex-run.js';
import { parseSize } from './sizes.js';
import { templateProblem } from './template.js';
import { FUZZY_MAX_PATTERN, TEXT_ALGORITHMS, type TextAlgorithm } from './text-match.js';

/** Comparison operators of a field condition. */
export const FIELD_OPS = [
  'eq',
  'ne',
  'in',
  'nin',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'startsWith',
  'endsWith',
  'glob',
  'regex',
  'exists',
] as const;
/** One of {@link FIELD_OPS}. */
export type FieldOp = (typeof FIELD_OPS)[number];

/** How a list of conditions combines: every one, at least one, or none of them. */
export type MatchMode = 'all' | 'any' | 'none';

/** Fields a condition may name, besides any `metadata.a.b` path. */
export const SUBJECT_FIELDS = [
  'name',
  'ext',
  'mime',
  'size',
  'sha256',
  'createdAt',
  'uploadedBy',
  'source',
  'text',
  'category',
] as const;

/** Compares one field with a value: `{ field: size, op: lte, value: "10 MiB" }`. */
export interface FieldCondition {
  field: string;
  op: FieldOp;
  /** Sizes accept `"5 MB"`/`"5 MiB"`; `createdAt` accepts ISO dates; `in`/`nin` take a list; `exists` a boolean (default true). */
  value?: unknown;
  /** String comparisons ignore case. Default: true for `glob`, false otherwise. */
  caseInsensitive?: boolean;
}

/** Matches text (by default the extracted text) with one of the Paperless-style algorithms. */
export interface TextCondition {
  field: string;
  algorithm: TextAlgorithm;
  value: string;
  caseInsensitive: boolean;
}

/** Inverts a condition. */
export interface NotCondition {
  not: Condition;
}

/** A nested group: `{ match: any, conditions: [...] }`. */
export interface GroupCondition {
  match: MatchMode;
  conditions: Condition[];
}

/** Any condition a rule may hold. */
export type Condition = FieldCondition | TextCondition | NotCondition | GroupCondition;

/** A sorting rule, as validated (defaults filled in). */
export interface Rule {
  id: string;
  /** What `file.classified` reports; `null` when the rule only moves files. */
  category: string | null;
  /** Higher runs first; equal priorities keep list order. */
  priority: number;
  /** When true, later rules are still tried after this one matched. */
  continue: boolean;
  match: MatchMode;
  conditions: Condition[];
  /** Destination template (relative to the sorted folder); absent: the rule only categorises. */
  destination?: string;
  onConflict: ConflictMode;
  enabled: boolean;
  description?: string;
}

const fieldName = z
  .string()
  .refine(
    (field) => (SUBJECT_FIELDS as readonly string[]).includes(field) || /^metadata(\.[^.\s]+)+$/.test(field),
    { message: `Unknown field: use one of ${SUBJECT_FIELDS.join(', ')} or a metadata.<path>` },
  );

function isDate(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** Checks that a field condition's value fits its operator and field. */
function fieldValueProblem(condition: FieldCondition): string | null {
  const { field, op, value } = condition;
  const scalars = Array.isArray(value) ? value : [value];
  if (op === 'exists')
    return value === undefined || typeof value === 'boolean' ? null : '`exists` takes true or false';
  if (value === undefined) return `\`${op}\` needs a value`;
  if ((op === 'in' || op === 'nin') && !Array.isArray(value)) return `\`${op}\` takes a list of values`;
  if (['contains', 'startsWith', 'endsWith', 'regex'].includes(op) && typeof value !== 'string')
    return `\`${op}\` takes a string`;
  if (op === 'glob' && !scalars.every((v) => typeof v === 'string'))
    return '`glob` takes a pattern or a list of them';
  if (op === 'regex') {
    const compiled = compileRegex(value as string, condition.caseInsensitive ?? false);
    if (typeof compiled === 'string') return `Invalid regular expression: ${compiled}`;
  }
  const ordered = ['eq', 'ne', 'in', 'nin', 'gt', 'gte', 'lt', 'lte'].includes(op);
  if (ordered && field === 'size' && !scalars.every((v) => parseSize(v) !== null))
    return 'A size is a number of bytes or a number and a unit ("5 MB" = 5×10^6, "5 MiB" = 5×2^20)';
  if (ordered && field === 'createdAt' && !scalars.every(isDate))
    return 'A date is an ISO 8601 date or time ("2024-01-31", "2024-01-31T12:00:00Z")';
  return null;
}

const fieldConditionSchema = z
  .strictObject({
    field: fieldName,
    op: z.enum(FIELD_OPS),
    value: z.unknown().optional(),
    caseInsensitive: z.boolean().optional(),
  })
  .superRefine((condition, ctx) => {
    const problem = fieldValueProblem(condition as FieldCondition);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] });
  });

const textConditionSchema = z
  .strictObject({
    field: fieldName.default('text'),
    algorithm: z.enum(TEXT_ALGORITHMS),
    value: z.string().default(''),
    caseInsensitive: z.boolean().default(true),
  })
  .superRefine((condition, ctx) => {
    const needsValue = !['none', 'auto'].includes(condition.algorithm);
    if (needsValue && condition.value.trim() === '')
      ctx.addIssue({
        code: 'custom',
        message: `\`${condition.algorithm}\` needs a value to match`,
        path: ['value'],
      });
    if (condition.algorithm === 'fuzzy' && condition.value.length > FUZZY_MAX_PATTERN)
      ctx.addIssue({
        code: 'custom',
        message: `\`fuzzy\` matches a phrase of at most ${FUZZY_MAX_PATTERN} characters`,
        path: ['value'],
      });
    if (condition.algorithm === 'regex') {
      const compiled = compileRegex(condition.value, condition.caseInsensitive);
      if (typeof compiled === 'string')
        ctx.addIssue({ code: 'custom', message: `Invalid regular expression: ${compiled}`, path: ['value'] });
    }
  });

const matchModeSchema = z.enum(['all', 'any', 'none']);

/** One zod schema for every kind of condition (field, text, `not`, nested group). */
export const conditionSchema: z.ZodType<Condition> = z.union([
  fieldConditionSchema,
  textConditionSchema,
  z.strictObject({
    get not() {
      return conditionSchema;
    },
  }),
  z.strictObject({
    match: matchModeSchema.default('all'),
    get conditions() {
      return z.array(conditionSchema);
    },
  }),
]) as z.ZodType<Condition>;

function hasAuto(conditions: Condition[]): boolean {
  return conditions.some((c) =>
    'algorithm' in c
      ? c.algorithm === 'auto' && c.value === ''
      : 'not' in c
        ? hasAuto([c.not])
        : 'conditions' in c
          ? hasAuto(c.conditions)
          : false,
  );
}

/**
 * Characters a category may not hold: control characters (a NUL no PostgreSQL text column
 * takes, line breaks) and the invisible ones that make look-alike categories (zero-width
 * spaces and joiners' non-joiner, direction marks and overrides, the BOM). The zero-width
 * joiner stays allowed: emoji sequences use it.
 */
const INVISIBLE = /[\p{Cc}\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/u;

/** Why `category` (as given, before trimming) cannot be a category, or `null` when it can. */
export function categoryProblem(category: string): string | null {
  if (category.trim() === '') return 'A category cannot be empty';
  if (category.length > 200) return 'A category is at most 200 characters';
  if (INVISIBLE.test(category)) return 'A category cannot contain control or invisible characters';
  return null;
}

/**
 * A category as stored and compared: trimmed and NFC-normalised, so `café` typed composed or
 * decomposed (as macOS sends it) is one category, in rules and in labels alike.
 */
export const categorySchema = z
  .string()
  .trim()
  .normalize('NFC')
  .min(1, 'A category cannot be empty')
  .max(200, 'A category is at most 200 characters')
  .refine((category) => !INVISIBLE.test(category), {
    message: 'A category cannot contain control or invisible characters',
  });

/** The zod schema of one rule: validates and fills defaults. */
export const ruleSchema: z.ZodType<Rule> = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'An id is 1–100 letters, digits, ".", "_" or "-"'),
    description: z.string().optional(),
    category: categorySchema.nullable().default(null),
    priority: z.number().int().default(0),
    continue: z.boolean().default(false),
    match: matchModeSchema.default('all'),
    conditions: z.array(conditionSchema).default([]),
    destination: z
      .string()
      .min(1)
      .superRefine((template, ctx) => {
        const problem = templateProblem(template);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    onConflict: z.enum(CONFLICT_MODES).default('rename_new'),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    if (rule.category === null && hasAuto(rule.conditions as Condition[]))
      ctx.addIssue({
        code: 'custom',
        message: '`algorithm: auto` needs the rule to have a category (or the condition a value)',
        path: ['conditions'],
      });
  }) as z.ZodType<Rule>;

/**
 * The rule schema as JSON Schema (draft 2020-12), for editors and API documentation.
 * It describes what may be written (defaults are optional); value checks that depend on
 * the operator (sizes, dates, regex syntax) are enforced by {@link parseRules} only.
 */
export function ruleJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ruleSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
