/**
 * One typed call to a documented operation: the path parameters, query and JSON body are
 * checked against the generated OpenAPI types, and so is the answer.
 * @module
 */
import type { ApiMethod, ApiPath, JsonBodyOf, QueryOf, SuccessBody } from './api-types.js';
import { type PathParams, pathOf } from './path.js';
import type { QueryValues, Transport } from './transport.js';

/** The parts of a call to `method` on `path`. */
export type CallArgs<P extends ApiPath, M extends ApiMethod> = {
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
} & ([keyof PathParams<P>] extends [never] ? { params?: undefined } : { params: PathParams<P> }) &
  ([QueryOf<P, M>] extends [never] ? { query?: undefined } : { query?: QueryOf<P, M> | undefined }) &
  ([JsonBodyOf<P, M>] extends [never] ? { json?: undefined } : { json: JsonBodyOf<P, M> });

/** Calls `method` on `path` and returns the answer's JSON (`undefined` for 204). */
export function callApi<P extends ApiPath, M extends ApiMethod>(
  transport: Transport,
  method: M,
  path: P,
  args: CallArgs<P, M>,
): Promise<SuccessBody<P, M>> {
  return transport.json<SuccessBody<P, M>>({
    method,
    path: pathOf(path, (args.params ?? {}) as PathParams<P>),
    query: args.query as QueryValues | undefined,
    json: args.json,
    headers: args.headers,
    signal: args.signal,
  });
}
