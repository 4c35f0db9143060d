/**
 * `client.sorter`: simulate a sort, apply it, list and undo runs.
 * @module
 */
import { callApi } from '../api-call.js';
import type { JsonBodyOf, QueryOf, SortPlan } from '../api-types.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './files.js';

/** Which files to sort and with which rules: the saved ones and every processed file by default. */
export type SortRequest = JsonBodyOf<'/api/v1/sorter/simulate', 'post'>;

/** `client.sorter`. */
export class SorterApi {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** Where the rules would put the files, without moving anything. */
  simulate(request: SortRequest = {}, options: CallOptions = {}): Promise<SortPlan> {
    return callApi(this.transport, 'post', '/api/v1/sorter/simulate', { json: request, ...options });
  }

  /** Sorts the files for real; the run can be undone. */
  apply(request: SortRequest = {}, options: CallOptions = {}) {
    return callApi(this.transport, 'post', '/api/v1/sorter/runs', { json: request, ...options });
  }

  /** A page of past sort runs, newest first. */
  runs(query: QueryOf<'/api/v1/sorter/runs', 'get'> = {}, options: CallOptions = {}) {
    return callApi(this.transport, 'get', '/api/v1/sorter/runs', { query, ...options });
  }

  /** One sort run with its moves. */
  run(runId: string, options: CallOptions = {}) {
    return callApi(this.transport, 'get', '/api/v1/sorter/runs/{runId}', { params: { runId }, ...options });
  }

  /** Moves the files of a run back where they were. */
  undo(runId: string, options: CallOptions = {}) {
    return callApi(this.transport, 'post', '/api/v1/sorter/runs/{runId}/undo', {
      params: { runId },
      ...options,
    });
  }
}
