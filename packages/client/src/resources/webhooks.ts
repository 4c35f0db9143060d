/**
 * `client.webhooks`: subscriptions, their deliveries, secret rotation and test events.
 * @module
 */
import { callApi } from '../api-call.js';
import type { JsonBodyOf, QueryOf, WebhookSubscription, WebhookWithSecret } from '../api-types.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './files.js';

/** A new subscription: name, URL and the events it receives. */
export type WebhookCreate = JsonBodyOf<'/api/v1/integrations/webhooks', 'post'>;
/** Fields of a subscription to change. */
export type WebhookPatch = JsonBodyOf<'/api/v1/integrations/webhooks/{id}', 'patch'>;

/** `client.webhooks`. */
export class WebhooksApi {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /** A page of subscriptions (pass `nextCursor` as `cursor` for the next). */
  list(query: QueryOf<'/api/v1/integrations/webhooks', 'get'> = {}, options: CallOptions = {}) {
    return callApi(this.transport, 'get', '/api/v1/integrations/webhooks', { query, ...options });
  }

  /** Subscribes a URL; the answer carries the signing secret, shown this once. */
  create(webhook: WebhookCreate, options: CallOptions = {}): Promise<WebhookWithSecret> {
    return callApi(this.transport, 'post', '/api/v1/integrations/webhooks', { json: webhook, ...options });
  }

  /** One subscription. */
  get(id: string, options: CallOptions = {}): Promise<WebhookSubscription> {
    return callApi(this.transport, 'get', '/api/v1/integrations/webhooks/{id}', {
      params: { id },
      ...options,
    });
  }

  /** Changes a subscription. */
  update(id: string, patch: WebhookPatch, options: CallOptions = {}): Promise<WebhookSubscription> {
    return callApi(this.transport, 'patch', '/api/v1/integrations/webhooks/{id}', {
      params: { id },
      json: patch,
      ...options,
    });
  }

  /** Deletes a subscription. */
  async delete(id: string, options: CallOptions = {}): Promise<void> {
    await callApi(this.transport, 'delete', '/api/v1/integrations/webhooks/{id}', {
      params: { id },
      ...options,
    });
  }

  /** A page of delivery attempts, newest first. */
  deliveries(
    id: string,
    query: QueryOf<'/api/v1/integrations/webhooks/{id}/deliveries', 'get'> = {},
    options: CallOptions = {},
  ) {
    return callApi(this.transport, 'get', '/api/v1/integrations/webhooks/{id}/deliveries', {
      params: { id },
      query,
      ...options,
    });
  }

  /** Sends a delivery again. */
  resend(id: string, attemptId: string, options: CallOptions = {}) {
    return callApi(
      this.transport,
      'post',
      '/api/v1/integrations/webhooks/{id}/deliveries/{attemptId}/resend',
      {
        params: { id, attemptId },
        ...options,
      },
    );
  }

  /** Replaces the signing secret; the answer carries the new one. */
  rotateSecret(id: string, options: CallOptions = {}): Promise<WebhookWithSecret> {
    return callApi(this.transport, 'post', '/api/v1/integrations/webhooks/{id}/rotate-secret', {
      params: { id },
      ...options,
    });
  }

  /** Sends a test event now and returns the attempt. */
  test(id: string, options: CallOptions = {}) {
    return callApi(this.transport, 'post', '/api/v1/integrations/webhooks/{id}/test', {
      params: { id },
      ...options,
    });
  }
}
