import type { WebhookSubscription, WebhookWithSecret } from '@fileforge/integrations';
import { principalOf } from '../auth/ownership.js';
import { integrationServices } from '../http/integration-services.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit, webhookTarget } from '../middleware/audit.js';
import type { ServerIntegrations } from '../options.js';
import {
  WebhookAttemptListSchema,
  WebhookAttemptParams,
  WebhookAttemptSchema,
  WebhookCreateBody,
  WebhookDeliveriesQuery,
  WebhookIdParam,
  WebhookListSchema,
  WebhookPageQuery,
  WebhookPatchBody,
  WebhookSubscriptionSchema,
  WebhookWithSecretSchema,
} from '../schemas/webhooks.js';

const BASE = '/api/v1/integrations/webhooks';
const TAGS = ['Webhooks'];
const resource = (s: WebhookSubscription) => ({
  ...s,
  links: { self: `${BASE}/${s.id}`, deliveries: `${BASE}/${s.id}/deliveries` },
});
const withSecret = ({ subscription, secret }: WebhookWithSecret) => ({ ...resource(subscription), secret });

/**
 * Webhook subscriptions of the caller's tenant (specs/webhooks.md "Subscriptions API"):
 * create (the secret is in that answer only), list, get, change, delete, send a test message,
 * the delivery history, resend an attempt, rotate the secret. A URL the SSRF guard refuses is
 * answered 422 `WEBHOOK_URL_FORBIDDEN` with `details.reason`; a missing id or another tenant's
 * answers 404 `NOT_FOUND`, a server without webhooks 404 `INTEGRATIONS_NOT_CONFIGURED`.
 */
export function registerWebhookRoutes(app: ApiApp, integrations?: ServerIntegrations): void {
  const service = integrationServices(integrations).webhooks;

  app.openapi(
    secureRoute({
      method: 'post',
      path: BASE,
      tags: TAGS,
      summary: 'Subscribe a URL to events; the answer carries the signing secret, shown this once',
      request: { body: { required: true, content: { 'application/json': { schema: WebhookCreateBody } } } },
      errors: [400, 404, 413, 415, 422],
      responses: { 201: jsonResponse(WebhookWithSecretSchema, 'Created, with its secret') },
    }),
    async (c) => {
      const created = await service().subscribe({ ...c.req.valid('json'), tenant: principalOf(c).tenant });
      await audit(c, 'webhook.create', webhookTarget(created.subscription), {
        events: created.subscription.events,
      });
      return c.json(withSecret(created), 201, { Location: `${BASE}/${created.subscription.id}` });
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: BASE,
      tags: TAGS,
      summary: 'List the webhook subscriptions, oldest first (paginated)',
      request: { query: WebhookPageQuery },
      errors: [400, 404],
      responses: { 200: jsonResponse(WebhookListSchema, 'A page of subscriptions') },
    }),
    async (c) => {
      const { cursor, limit } = c.req.valid('query');
      const page = await service().list({
        tenant: principalOf(c).tenant,
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return c.json({ items: page.items.map(resource), nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: `${BASE}/{id}`,
      tags: TAGS,
      summary: 'Get one webhook subscription',
      request: { params: WebhookIdParam },
      errors: [404],
      responses: { 200: jsonResponse(WebhookSubscriptionSchema, 'The subscription') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(resource(await service().get(id, { tenant: principalOf(c).tenant })), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'patch',
      path: `${BASE}/{id}`,
      tags: TAGS,
      summary: 'Change a subscription’s name, URL, events or enabled flag',
      request: {
        params: WebhookIdParam,
        body: { required: true, content: { 'application/json': { schema: WebhookPatchBody } } },
      },
      errors: [400, 404, 413, 415, 422],
      responses: { 200: jsonResponse(WebhookSubscriptionSchema, 'Changed') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const updated = await service().update(id, c.req.valid('json'), { tenant: principalOf(c).tenant });
      await audit(c, 'webhook.update', webhookTarget(updated), { fields: Object.keys(c.req.valid('json')) });
      return c.json(resource(updated), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'delete',
      path: `${BASE}/{id}`,
      tags: TAGS,
      summary: 'Delete a subscription and its delivery history (pending attempts are dropped)',
      request: { params: WebhookIdParam },
      errors: [404],
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await service().remove(c.req.valid('param').id, { tenant: principalOf(c).tenant });
      await audit(c, 'webhook.delete', webhookTarget({ id: c.req.valid('param').id }));
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: `${BASE}/{id}/test`,
      tags: TAGS,
      summary: 'Send a signed `webhook.test` message now; answers with the attempt (succeeded or failed)',
      request: { params: WebhookIdParam },
      errors: [404],
      responses: { 200: jsonResponse(WebhookAttemptSchema, 'The attempt') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await service().test(id, { tenant: principalOf(c).tenant }), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: `${BASE}/{id}/deliveries`,
      tags: TAGS,
      summary: 'The delivery history: every attempt, newest first, optionally of one status (paginated)',
      request: { params: WebhookIdParam, query: WebhookDeliveriesQuery },
      errors: [400, 404],
      responses: { 200: jsonResponse(WebhookAttemptListSchema, 'A page of attempts') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { status, cursor, limit } = c.req.valid('query');
      const page = await service().deliveries(id, {
        tenant: principalOf(c).tenant,
        limit,
        ...(status ? { status } : {}),
        ...(cursor ? { cursor } : {}),
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: `${BASE}/{id}/deliveries/{attemptId}/resend`,
      tags: TAGS,
      summary: 'Send an attempt’s message again now (a new `manual` attempt, same `webhook-id`)',
      request: { params: WebhookAttemptParams },
      errors: [404],
      responses: { 200: jsonResponse(WebhookAttemptSchema, 'The new attempt') },
    }),
    async (c) => {
      const { id, attemptId } = c.req.valid('param');
      return c.json(await service().resend(id, attemptId, { tenant: principalOf(c).tenant }), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: `${BASE}/{id}/rotate-secret`,
      tags: TAGS,
      summary: 'A new signing secret, shown this once; the previous one keeps signing too for 24 h',
      request: { params: WebhookIdParam },
      errors: [404],
      responses: { 200: jsonResponse(WebhookWithSecretSchema, 'The subscription with its new secret') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const rotated = await service().rotateSecret(id, { tenant: principalOf(c).tenant });
      await audit(c, 'webhook.rotate', webhookTarget({ id }));
      return c.json(withSecret(rotated), 200);
    },
  );
}
