/**
 * `{{ … }}` expressions in a step's `with` values and `if`: dotted paths into what the run
 * knows — `file.name`, `file.metadata.pdf.pages`, `steps.<name>.output.x`, `input.x`,
 * `run.id`. Nothing is evaluated: a path is looked up, never run, so a definition cannot
 * execute code. An unknown path renders as the empty string (the linter flags unknown
 * roots and steps that are not among a step's `needs`).
 *
 * A string that is exactly one expression keeps the value's type (`"{{ input.width }}"` →
 * `256`); inside longer text, values are joined in (objects as JSON).
 *
 * @module
 */

/** The roots an expression may start from. */
export const EXPRESSION_ROOTS = ['file', 'steps', 'input', 'run', 'trigger'] as const;

/** What expressions can read while a run executes. */
export interface ExpressionScope {
  file: unknown;
  steps: Record<string, { output: unknown; status?: string }>;
  input: Record<string, unknown>;
  run: { id: string; workflowId: string; depth: number };
  trigger: unknown;
}

/** A piece of a template: literal text, or a path to look up. */
export type TemplatePart = { text: string } | { path: string[] };

/** A problem found in a template. */
export interface TemplateIssue {
  message: string;
  /** The offending expression, without the braces. */
  expression?: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const MAX_DEPTH = 16;

/**
 * Splits a template into text and paths, or reports why it cannot be read (an unclosed
 * `{{`, an empty expression, something that is not a dotted path).
 */
export function parseTemplate(template: string): { parts: TemplatePart[] } | { issue: TemplateIssue } {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      if (template.includes('}}', at)) return { issue: { message: 'a "}}" without its "{{"' } };
      if (at < template.length) parts.push({ text: template.slice(at) });
      return { parts };
    }
    if (template.slice(at, open).includes('}}')) return { issue: { message: 'a "}}" without its "{{"' } };
    if (open > at) parts.push({ text: template.slice(at, open) });
    const close = template.indexOf('}}', open + 2);
    if (close < 0) return { issue: { message: 'an unclosed "{{"' } };
    const expression = template.slice(open + 2, close).trim();
    if (expression === '') return { issue: { message: 'an empty "{{ }}"', expression } };
    const path = expression.split('.');
    if (path.length > MAX_DEPTH || !path.every((s) => SEGMENT.test(s))) {
      return {
        issue: {
          message: `"${expression}" is not a path such as file.name or steps.<name>.output.<key> (no operators or calls)`,
          expression,
        },
      };
    }
    parts.push({ path });
    at = close + 2;
  }
}

/** Looks a path up in the scope; `undefined` when any part is missing. */
export function lookup(scope: ExpressionScope, path: readonly string[]): unknown {
  let current: unknown = scope;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const asText = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/** Renders one template string; see the module comment for types. Unreadable templates render as written. */
export function renderString(template: string, scope: ExpressionScope): unknown {
  if (!template.includes('{{')) return template;
  const parsed = parseTemplate(template);
  if ('issue' in parsed) return template;
  const [only] = parsed.parts;
  if (parsed.parts.length === 1 && only && 'path' in only) {
    const value = lookup(scope, only.path);
    return value === undefined ? '' : value;
  }
  return parsed.parts.map((p) => ('text' in p ? p.text : asText(lookup(scope, p.path)))).join('');
}

/** Renders every string inside a value (objects and lists are walked). */
export function renderValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, scope)]));
  }
  return value;
}

/** Whether a rendered `if` lets its step run: empty, `false`, `0`, `null`, `no` and `off` skip it. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0) return false;
  if (typeof value === 'string')
    return !['', 'false', '0', 'null', 'no', 'off'].includes(value.trim().toLowerCase());
  return true;
}

/** Every template string inside a value, with its path (`with.text`, `with.list[1]`). */
export function templateStrings(value: unknown, path: string): Array<{ path: string; template: string }> {
  if (typeof value === 'string')
    // Without a "{{" a string is text, as it renders: a JSON body's "}}" is no stray close.
    return value.includes('{{') ? [{ path, template: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => templateStrings(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => templateStrings(v, `${path}.${k}`));
  }
  return [];
}

/**
 * Whether any template inside `value` reads from `root` (`file`, `steps`, …). Lets a run skip
 * loading what no expression of a step reads (an unreadable template counts as reading it).
 */
export function readsRoot(value: unknown, root: (typeof EXPRESSION_ROOTS)[number]): boolean {
  return templateStrings(value, '').some(({ template }) => {
    const parsed = parseTemplate(template);
    return 'issue' in parsed || parsed.parts.some((p) => 'path' in p && p.path[0] === root);
  });
}
