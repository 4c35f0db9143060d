/**
 * `client.rules`: the sorter's saved rules.
 * @module
 */
import { callApi } from '../api-call.js';
import type { Rule } from '../api-types.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './files.js';

/** `client.rules`. */
export class RulesApi {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** The saved rules, in the order the sorter tries them. */
  async list(options: CallOptions = {}): Promise<Rule[]> {
    return (await callApi(this.transport, 'get', '/api/v1/sorter/rules', options)).items;
  }

  /** One rule (404 `NOT_FOUND` when there is none). */
  get(id: string, options: CallOptions = {}): Promise<Rule> {
    return callApi(this.transport, 'get', '/api/v1/sorter/rules/{id}', { params: { id }, ...options });
  }

  /** Saves a new rule (409 `CONFLICT` when its id is taken). */
  create(rule: Rule, options: CallOptions = {}): Promise<Rule> {
    return callApi(this.transport, 'post', '/api/v1/sorter/rules', { json: rule, ...options });
  }

  /** Replaces the rule `id`. */
  update(id: string, rule: Rule, options: CallOptions = {}): Promise<Rule> {
    return callApi(this.transport, 'put', '/api/v1/sorter/rules/{id}', {
      params: { id },
      json: rule,
      ...options,
    });
  }

  /** Deletes the rule `id`. */
  async delete(id: string, options: CallOptions = {}): Promise<void> {
    await callApi(this.transport, 'delete', '/api/v1/sorter/rules/{id}', { params: { id }, ...options });
  }
}
