import type { ModelVerdict } from './decide.js';
import { runGlob } from './glob-run.js';
import { runRegex } from './regex-run.js';
import type { Condition, FieldCondition, MatchMode, TextCondition } from './rule-schema.js';
import { parseSize } from './sizes.js';
import type { SortSubject } from './subject.js';
import { matchText } from './text-match.js';

/** How one condition fared, in words a person can read. */
export interface ConditionResult {
  description: string;
  matched: boolean;
  words?: string[];
  score?: number;
  /** Set when the condition could not be evaluated properly (bad regex, time limit). */
  warning?: string;
}

/** What condition evaluation needs besides the subject. */
export interface ConditionContext {
  /** The classifier's verdict for the subject, for `algorithm: auto`. */
  verdict?: ModelVerdict | null;
  /** The rule's category: what `auto` looks for. */
  category?: string | null;
  /** @default 100 */
  regexTimeoutMs?: number;
}

/** Reads a field (`name`, `size`, `metadata.image.width`, …) of a subject; `undefined` when absent. */
export function fieldValue(subject: SortSubject, field: string): unknown {
  if (!field.startsWith('metadata.')) return (subject as unknown as Record<string, unknown>)[field];
  let at: unknown = subject.metadata;
  for (const key of field.split('.').slice(1)) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** Sizes as rules write them (`"10 MiB"`), read once each rather than once per file. */
const sizes = new Map<string, number | null>();

function sizeOf(value: unknown): number | null {
  if (typeof value !== 'string') return parseSize(value);
  let size = sizes.get(value);
  if (size === undefined) {
    size = parseSize(value);
    // A rule set holds a handful of sizes; a bound keeps odd callers from growing it.
    if (sizes.size < 1024) sizes.set(value, size);
  }
  return size;
}

/** Turns a rule's value into something comparable with the field's value. */
function operand(field: string, value: unknown, actual: unknown): unknown {
  if (field === 'size') return sizeOf(value);
  if (field === 'createdAt')
    return value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : Date.parse(String(value));
  if (
    typeof actual === 'number' &&
    typeof value === 'string' &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  )
    return Number(value);
  return value;
}

function actualValue(field: string, actual: unknown): unknown {
  if (field === 'createdAt' && typeof actual === 'string') return Date.parse(actual);
  return actual;
}

function fold(value: unknown, ci: boolean): unknown {
  return ci && typeof value === 'string' ? value.toLowerCase() : value;
}

function equal(a: unknown, b: unknown, ci: boolean): boolean {
  const x = fold(a, ci);
  const y = fold(b, ci);
  if (typeof x === 'object' && x !== null) return JSON.stringify(x) === JSON.stringify(y);
  return x === y;
}

function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a - b) ? null : a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/** Each field condition's description, made once per condition rather than once per file. */
const descriptions = new WeakMap<FieldCondition, string>();

function describeField(c: FieldCondition): string {
  let description = descriptions.get(c);
  if (description === undefined) {
    description = c.op === 'exists' ? `${c.field} exists` : `${c.field} ${c.op} ${show(c.value)}`;
    descriptions.set(c, description);
  }
  return description;
}

function evaluateField(c: FieldCondition, subject: SortSubject, ctx: ConditionContext): ConditionResult {
  const description = describeField(c);
  const raw = fieldValue(subject, c.field);
  const actual = actualValue(c.field, raw);
  const ci = c.caseInsensitive ?? c.op === 'glob';
  const str = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : show(raw);
  const done = (matched: boolean, words?: string[]): ConditionResult =>
    words && matched ? { description, matched, words } : { description, matched };
  switch (c.op) {
    case 'exists': {
      const present = raw !== undefined && raw !== null && raw !== '';
      return done(present === (c.value === undefined ? true : c.value === true));
    }
    case 'eq':
    case 'ne': {
      const same = equal(actual, operand(c.field, c.value, actual), ci);
      return done(c.op === 'eq' ? same : !same);
    }
    case 'in':
    case 'nin': {
      const list = c.value as unknown[];
      const hit = list.some((v) => equal(actual, operand(c.field, v, actual), ci));
      return done(c.op === 'in' ? hit : !hit);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const diff = compare(actual, operand(c.field, c.value, actual));
      if (diff === null) return done(false);
      const matched = { gt: diff > 0, gte: diff >= 0, lt: diff < 0, lte: diff <= 0 }[c.op];
      return done(matched);
    }
    case 'contains': {
      if (Array.isArray(raw)) return done(raw.some((v) => equal(v, c.value, ci)));
      const hay = fold(str, ci) as string;
      return done(hay.includes(fold(c.value, ci) as string), [String(c.value)]);
    }
    case 'startsWith':
      return done((fold(str, ci) as string).startsWith(fold(c.value, ci) as string));
    case 'endsWith':
      return done((fold(str, ci) as string).endsWith(fold(c.value, ci) as string));
    case 'glob': {
      const patterns = Array.isArray(c.value) ? (c.value as string[]) : [c.value as string];
      let warning: string | undefined;
      const hit = patterns.find((p) => {
        const run = runGlob(p, str, { caseInsensitive: ci, timeoutMs: ctx.regexTimeoutMs });
        warning ??= run.warning;
        return run.matched;
      });
      if (hit === undefined && warning) return { description, matched: false, warning };
      return done(hit !== undefined, hit === undefined || patterns.length === 1 ? undefined : [hit]);
    }
    case 'regex': {
      const run = runRegex(c.value as string, str, { caseInsensitive: ci, timeoutMs: ctx.regexTimeoutMs });
      if (run.warning) return { description, matched: false, warning: run.warning };
      return done(run.match !== null, run.match ? [run.match.text] : undefined);
    }
  }
}

function evaluateText(c: TextCondition, subject: SortSubject, ctx: ConditionContext): ConditionResult {
  const description =
    c.algorithm === 'auto'
      ? ctx.verdict
        ? `auto: model says ${ctx.verdict.category === null ? 'nothing' : `"${ctx.verdict.category}"`} (threshold ${ctx.verdict.threshold})`
        : 'auto: no model verdict'
      : `${c.field} ${c.algorithm}${c.value === '' ? '' : ` "${c.value}"`}`;
  const raw = fieldValue(subject, c.field);
  const text = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : show(raw);
  const result = matchText(c.algorithm, c.value, text, {
    caseInsensitive: c.caseInsensitive,
    regexTimeoutMs: ctx.regexTimeoutMs,
    verdict: ctx.verdict ?? null,
    category: c.value !== '' ? c.value : (ctx.category ?? null),
  });
  return {
    description,
    matched: result.matched,
    ...(result.words && result.words.length > 0 ? { words: result.words } : {}),
    ...(result.score !== undefined ? { score: result.score } : {}),
    ...(result.warning ? { warning: result.warning } : {}),
  };
}

/** Combines results under `all`, `any` or `none`. Empty lists: `all` and `none` match, `any` does not. */
export function combine(mode: MatchMode, results: readonly { matched: boolean }[]): boolean {
  if (mode === 'all') return results.every((r) => r.matched);
  if (mode === 'any') return results.some((r) => r.matched);
  return !results.some((r) => r.matched);
}

/**
 * Evaluates one condition (field, text, `not` or nested group) over a subject. Nested
 * results fold into one readable description; words and scores of matching parts are kept.
 */
export function evaluateCondition(
  condition: Condition,
  subject: SortSubject,
  ctx: ConditionContext = {},
): ConditionResult {
  if ('not' in condition) {
    const inner = evaluateCondition(condition.not, subject, ctx);
    return {
      description: `not (${inner.description})`,
      matched: !inner.matched,
      ...(inner.warning ? { warning: inner.warning } : {}),
    };
  }
  if ('conditions' in condition) {
    const results = condition.conditions.map((c) => evaluateCondition(c, subject, ctx));
    const words = results.filter((r) => r.matched).flatMap((r) => r.words ?? []);
    const warning = results.find((r) => r.warning)?.warning;
    return {
      description: `${condition.match} of (${results.map((r) => r.description).join('; ')})`,
      matched: combine(condition.match, results),
      ...(words.length > 0 ? { words } : {}),
      ...(warning ? { warning } : {}),
    };
  }
  if ('algorithm' in condition) return evaluateText(condition, subject, ctx);
  return evaluateField(condition, subject, ctx);
}
