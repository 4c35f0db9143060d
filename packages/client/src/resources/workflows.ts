/**
 * `client.workflows`: definitions, lint, runs.
 * @module
 */
import { callApi } from '../api-call.js';
import type { JsonBodyOf, QueryOf, Workflow, WorkflowDefinition, WorkflowRun } from '../api-types.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './files.js';

/** What a run starts with: the file it works on and `input` for its steps. */
export type StartWorkflowRun = JsonBodyOf<'/api/v1/workflows/{id}/runs', 'post'>;

/** `client.workflows`. */
export class WorkflowsApi {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** Every workflow of your tenant. */
  async list(options: CallOptions = {}): Promise<Workflow[]> {
    return (await callApi(this.transport, 'get', '/api/v1/workflows', options)).items;
  }

  /** One workflow (404 `NOT_FOUND` when there is none). */
  get(id: string, options: CallOptions = {}): Promise<Workflow> {
    return callApi(this.transport, 'get', '/api/v1/workflows/{id}', { params: { id }, ...options });
  }

  /** Saves a new workflow (422 `WORKFLOW_INVALID` with the problems when it does not lint). */
  create(definition: WorkflowDefinition, options: CallOptions = {}): Promise<Workflow> {
    return callApi(this.transport, 'post', '/api/v1/workflows', { json: definition, ...options });
  }

  /** Replaces the workflow `id`. */
  update(id: string, definition: WorkflowDefinition, options: CallOptions = {}): Promise<Workflow> {
    return callApi(this.transport, 'put', '/api/v1/workflows/{id}', {
      params: { id },
      json: definition,
      ...options,
    });
  }

  /** Deletes the workflow `id`. */
  async delete(id: string, options: CallOptions = {}): Promise<void> {
    await callApi(this.transport, 'delete', '/api/v1/workflows/{id}', { params: { id }, ...options });
  }

  /** Checks a definition without saving it. */
  lint(definition: WorkflowDefinition, options: CallOptions = {}) {
    return callApi(this.transport, 'post', '/api/v1/workflows/lint', { json: definition, ...options });
  }

  /** Starts a run; it proceeds in the background (see {@link WorkflowsApi.getRun}). */
  run(id: string, start: StartWorkflowRun = {}, options: CallOptions = {}): Promise<WorkflowRun> {
    return callApi(this.transport, 'post', '/api/v1/workflows/{id}/runs', {
      params: { id },
      json: start,
      ...options,
    });
  }

  /** A page of the workflow's runs, newest first (pass `nextCursor` as `cursor` for the next). */
  runs(id: string, query: QueryOf<'/api/v1/workflows/{id}/runs', 'get'> = {}, options: CallOptions = {}) {
    return callApi(this.transport, 'get', '/api/v1/workflows/{id}/runs', {
      params: { id },
      query,
      ...options,
    });
  }

  /** One run with its steps. */
  getRun(id: string, runId: string, options: CallOptions = {}): Promise<WorkflowRun> {
    return callApi(this.transport, 'get', '/api/v1/workflows/{id}/runs/{runId}', {
      params: { id, runId },
      ...options,
    });
  }

  /** Cancels a run that has not finished. */
  cancelRun(id: string, runId: string, options: CallOptions = {}): Promise<WorkflowRun> {
    return callApi(this.transport, 'post', '/api/v1/workflows/{id}/runs/{runId}/cancel', {
      params: { id, runId },
      ...options,
    });
  }

  /** Runs a failed run again from its failed step. */
  retryRun(id: string, runId: string, options: CallOptions = {}) {
    return callApi(this.transport, 'post', '/api/v1/workflows/{id}/runs/{runId}/retry', {
      params: { id, runId },
      ...options,
    });
  }
}
