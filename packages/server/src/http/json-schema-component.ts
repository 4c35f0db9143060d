import { z } from '@hono/zod-openapi';
import type { ApiApp } from './openapi.js';

type Json = unknown;

const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Rewrites the `$ref`s of a stand-alone JSON Schema so they point into the OpenAPI components. */
function rewriteRefs(node: Json, rootName: string, defName: (key: string) => string): Json {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, rootName, defName));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      if (value === '#') out[key] = componentRef(rootName).$ref;
      else if (value.startsWith('#/$defs/')) out[key] = componentRef(defName(value.slice(8))).$ref;
      else out[key] = value;
    } else {
      out[key] = rewriteRefs(value, rootName, defName);
    }
  }
  return out;
}

/**
 * Documents a JSON Schema made elsewhere (e.g. core's `ruleJsonSchema()`, draft 2020-12,
 * which OpenAPI 3.1 speaks) as the component `name` of the app's OpenAPI document. Its
 * `$defs` (recursive parts) become components of their own (`<name>_<def>`), since a
 * `#/$defs/…` pointer inside a component would resolve against the document root.
 *
 * Returns a zod schema typed `T` that *documents only*: it accepts any value, so use it in
 * responses and in request bodies the handler validates itself (with the schema's owner, e.g.
 * `parseRules`), never as the validator.
 */
export function jsonSchemaComponent<T>(
  app: ApiApp,
  name: string,
  schema: Record<string, unknown>,
): z.ZodType<T> {
  const { $schema: _dialect, $defs, ...root } = schema;
  const defs = ($defs ?? {}) as Record<string, Json>;
  const defName = (key: string) => `${name}_${key.replace(/[^A-Za-z0-9._-]/g, '') || 'def'}`;
  for (const [key, def] of Object.entries(defs)) {
    app.openAPIRegistry.registerComponent('schemas', defName(key), rewriteRefs(def, name, defName) as object);
  }
  // The metadata replaces what zod-openapi would generate for the (accept-anything) custom type.
  const documented = rewriteRefs(root, name, defName) as Record<string, unknown>;
  return z.custom<T>(() => true).openapi(name, documented as never);
}
