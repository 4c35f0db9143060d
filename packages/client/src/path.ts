/**
 * Typed paths: fills `{name}` parameters of a documented path, each value URL-encoded.
 * @module
 */
import type { ApiPath } from './api-types.js';

type ParamNames<S extends string> = S extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;

/** The parameters a path template needs, e.g. `{ id: string }` for `/api/v1/files/{id}`. */
export type PathParams<P extends string> = { [K in ParamNames<P>]: string };

/** `/api/v1/files/{id}` with `{ id: 'a b' }` → `/api/v1/files/a%20b`. */
export function pathOf<P extends ApiPath>(template: P, params: PathParams<P>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = (params as Record<string, string>)[name];
    if (value === undefined || value === '') {
      throw new TypeError(`[fileforge:client] ${template}: missing the "${name}" parameter`);
    }
    return encodeURIComponent(value);
  });
}
