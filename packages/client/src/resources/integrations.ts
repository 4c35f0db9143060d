/**
 * `client.integrations`: connectors (connect, status, test, actions, disconnect).
 * @module
 */
import { callApi } from '../api-call.js';
import type { IntegrationSummary, JsonBodyOf } from '../api-types.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './files.js';

/** The input of a connector action (and the file it sends, if any). */
export type IntegrationActionCall = JsonBodyOf<'/api/v1/integrations/{slug}/actions/{action}', 'post'>;

/** Options of {@link IntegrationsApi.connect}. */
export interface ConnectOptions extends CallOptions {
  /** Test the credentials against the vendor before storing them. @default true */
  test?: boolean;
}

/** `client.integrations`. */
export class IntegrationsApi {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** Every connector and whether it is connected. */
  async list(options: CallOptions = {}): Promise<IntegrationSummary[]> {
    return (await callApi(this.transport, 'get', '/api/v1/integrations', options)).items;
  }

  /** Stores credentials for a connector (see each connector in docs/integrations.md). */
  connect(slug: string, credentials: Record<string, unknown>, options: ConnectOptions = {}) {
    const { test, ...rest } = options;
    return callApi(this.transport, 'post', '/api/v1/integrations/connect/{slug}', {
      params: { slug },
      json: credentials,
      query: test === undefined ? {} : { test: test ? 'true' : 'false' },
      ...rest,
    });
  }

  /** Forgets a connector's credentials. */
  async disconnect(slug: string, options: CallOptions = {}): Promise<void> {
    await callApi(this.transport, 'delete', '/api/v1/integrations/{slug}', { params: { slug }, ...options });
  }

  /** A connector's state: connected, healthy, circuit. */
  status(slug: string, options: CallOptions = {}) {
    return callApi(this.transport, 'get', '/api/v1/integrations/{slug}/status', {
      params: { slug },
      ...options,
    });
  }

  /** Checks the stored credentials against the vendor. */
  test(slug: string, options: CallOptions = {}) {
    return callApi(this.transport, 'post', '/api/v1/integrations/{slug}/test', {
      params: { slug },
      ...options,
    });
  }

  /** Runs one of the connector's actions. */
  action(slug: string, action: string, call: IntegrationActionCall = {}, options: CallOptions = {}) {
    return callApi(this.transport, 'post', '/api/v1/integrations/{slug}/actions/{action}', {
      params: { slug, action },
      json: call,
      ...options,
    });
  }
}
