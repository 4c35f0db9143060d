/**
 * Reading rule and workflow documents that may come from anyone allowed to save one (an HTTP
 * body, a file given to the CLI). The text is bounded by the caller (the server's body cap);
 * what is bounded here is what a small text can still cost: YAML aliases that expand
 * exponentially ("billion laughs") and nesting deep enough to overflow the stack of the
 * recursive validators (zod, the condition evaluator), which would surface as a 500 instead
 * of a validation error.
 *
 * @module
 */
import { parse as parseYaml } from 'yaml';

/**
 * Alias nodes a document may hold. Real rules and workflows use a handful, if any (a shared
 * list of conditions); the `yaml` package's default (100) still lets a small document expand
 * a lot.
 */
export const MAX_YAML_ALIASES = 20;

/** Objects and lists nested inside one another; far above any real definition. */
export const MAX_DOCUMENT_DEPTH = 64;

/**
 * Parses YAML (1.2, so JSON too) or, with `format: 'json'`, JSON, with the alias limit.
 *
 * @throws the parser's error (the caller turns it into its own validation error)
 */
export function parseDocumentText(text: string, format?: 'yaml' | 'json'): unknown {
  return format === 'json'
    ? JSON.parse(text)
    : parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES, uniqueKeys: true });
}

/**
 * Where a parsed document nests deeper than `maxDepth` (a path such as `conditions[0].not.not`,
 * cut after a few segments), or `null` when it does not. Iterative, so it cannot overflow.
 */
export function nestingProblem(value: unknown, maxDepth = MAX_DOCUMENT_DEPTH): string | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number; path: string };
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) {
      const shown = item.path.length > 120 ? `${item.path.slice(0, 120)}…` : item.path;
      return `Nested more than ${maxDepth} levels deep (at ${shown || 'the top'})`;
    }
    const entries = Array.isArray(item.value)
      ? item.value.map((v, i) => [`[${i}]`, v] as const)
      : Object.entries(item.value).map(([k, v]) => [item.path === '' ? k : `.${k}`, v] as const);
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object')
        stack.push({ value: child, depth: item.depth + 1, path: `${item.path}${key}` });
    }
  }
  return null;
}
