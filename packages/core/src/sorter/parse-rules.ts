import type { z } from 'zod';
import { nestingProblem, parseDocumentText } from '../definitions/read-document.js';
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import { type Rule, ruleSchema } from './rule-schema.js';

/** One problem found in a rules document: where (`rules[1].conditions[0].value`) and what. */
export interface RuleIssue {
  path: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out;
}

/**
 * Flattens zod issues. A condition failing every branch of the union reports the branch
 * that came closest (fewest issues): `op: "between"` says the operator is wrong instead of
 * listing why it is also not a text condition, a `not` or a group.
 */
function flatten(issues: readonly Issue[], prefix: string, base: readonly PropertyKey[] = []): RuleIssue[] {
  const out: RuleIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
      if (closest.length > 0) {
        out.push(...flatten(closest, prefix, path));
        continue;
      }
    }
    out.push({ path: formatPath(prefix, path), message: issue.message });
  }
  return out;
}

function fail(issues: RuleIssue[]): never {
  const first = issues[0];
  const where = first && first.path !== '' ? `${first.path}: ` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new FileForgeError(
    ErrorCode.VALIDATION_FAILED,
    `[fileforge:sorter] Invalid rules: ${where}${first?.message ?? 'invalid'}${more}`,
    { details: { issues } },
  );
}

function readText(input: string, format: 'yaml' | 'json' | undefined): unknown {
  try {
    // YAML 1.2 is a superset of JSON, so YAML parsing accepts both unless JSON is asked for.
    return parseDocumentText(input, format);
  } catch (error) {
    return fail([
      { path: '', message: `Not valid ${format ?? 'YAML or JSON'}: ${(error as Error).message}` },
    ]);
  }
}

/**
 * Validates a rules document and returns the rules with defaults filled in. Accepts YAML
 * or JSON text (or an already-parsed value) holding a single rule, a list of rules, or
 * `{ rules: [...] }`. Rule ids must be unique.
 *
 * @throws FileForgeError `VALIDATION_FAILED` with `details.issues` (`{ path, message }[]`)
 * @example
 * ```ts
 * const rules = parseRules(await readFile('rules.yaml', 'utf8'));
 * ```
 */
export function parseRules(input: unknown, format?: 'yaml' | 'json'): Rule[] {
  const value = typeof input === 'string' ? readText(input, format) : input;
  const tooDeep = nestingProblem(value);
  if (tooDeep) return fail([{ path: '', message: tooDeep }]);
  let list: unknown[];
  let prefix: (index: number) => string;
  if (Array.isArray(value)) {
    list = value;
    prefix = (i) => `[${i}]`;
  } else if (typeof value === 'object' && value !== null && 'rules' in value) {
    const rules = (value as { rules: unknown }).rules;
    if (!Array.isArray(rules)) return fail([{ path: 'rules', message: 'Expected a list of rules' }]);
    list = rules;
    prefix = (i) => `rules[${i}]`;
  } else if (typeof value === 'object' && value !== null) {
    list = [value];
    prefix = () => '';
  } else {
    return fail([{ path: '', message: 'Expected a rule, a list of rules or { rules: [...] }' }]);
  }
  const issues: RuleIssue[] = [];
  const rules: Rule[] = [];
  const seen = new Map<string, number>();
  list.forEach((candidate, index) => {
    const parsed = ruleSchema.safeParse(candidate);
    if (!parsed.success) {
      issues.push(...flatten(parsed.error.issues, prefix(index)));
      return;
    }
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) {
      issues.push({
        path: formatPath(prefix(index), ['id']),
        message: `Duplicate rule id "${parsed.data.id}" (already used by ${prefix(earlier) || 'another rule'})`,
      });
      return;
    }
    seen.set(parsed.data.id, index);
    rules.push(parsed.data);
  });
  if (issues.length > 0) fail(issues);
  return rules;
}
