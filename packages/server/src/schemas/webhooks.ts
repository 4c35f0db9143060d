import { z } from '@hono/zod-openapi';
import { IdCursor } from './sorter.js';

/** `{id}` of a webhook subscription. */
export const WebhookIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: '01m89x19j1mxtrcxkbagdagbb0' }),
});

/** `{id}` and `{attemptId}` of a delivery attempt. */
export const WebhookAttemptParams = WebhookIdParam.extend({
  attemptId: z
    .string()
    .max(64)
    .openapi({ param: { name: 'attemptId', in: 'path' }, example: '01m89x19j1mxtrcxkbagdagbb1' }),
});

const events = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(100)
  .openapi({ example: ['file.processed', 'workflow.*'] });

/** `POST /api/v1/integrations/webhooks`. */
export const WebhookCreateBody = z
  .object({
    name: z.string().min(1).max(200).openapi({ example: 'CRM sync' }),
    url: z.string().max(2048).openapi({ example: 'https://crm.example.com/hooks/fileforge' }),
    events,
    enabled: z.boolean().optional().openapi({ description: 'Default true' }),
  })
  .openapi('WebhookCreate');

/** `PATCH /api/v1/integrations/webhooks/{id}`: absent fields stay as they are. */
export const WebhookPatchBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    url: z.string().max(2048).optional(),
    events: events.optional(),
    enabled: z
      .boolean()
      .optional()
      .openapi({ description: 'Re-enabling clears `disabledReason` and the failing clock' }),
  })
  .openapi('WebhookPatch');

/** Page query: `cursor` is the previous page's `nextCursor`. */
export const WebhookPageQuery = z.object({
  cursor: IdCursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** `GET …/{id}/deliveries` query. */
export const WebhookDeliveriesQuery = WebhookPageQuery.extend({
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
});

/** A subscription (its secret is never part of it). */
export const WebhookSubscriptionSchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.enum(['gone', 'failing', 'manual']).nullable(),
    failingSince: z.string().nullable(),
    secretRotatedAt: z.string().nullable(),
    previousSecretExpiresAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    links: z.object({ self: z.string(), deliveries: z.string() }),
  })
  .openapi('WebhookSubscription');

/** A subscription with its secret: only at creation and rotation. */
export const WebhookWithSecretSchema = WebhookSubscriptionSchema.extend({
  secret: z.string().openapi({
    description: 'whsec_…: shown this once (FileForge keeps it encrypted); verify deliveries with it',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('WebhookWithSecret');

/** One delivery attempt: the fields of specs/webhooks.md "Delivery history". */
export const WebhookAttemptSchema = z
  .object({
    id: z.string(),
    subscriptionId: z.string(),
    messageId: z.string().openapi({ description: 'msg_…: the `webhook-id`, the same on every retry' }),
    eventType: z.string(),
    attempt: z.number().int().openapi({ description: '1-based, per message and subscription' }),
    trigger: z.enum(['scheduled', 'manual', 'test']),
    url: z.string(),
    requestBody: z.string().openapi({ description: 'The JSON body every attempt of the message sends' }),
    status: z.enum(['pending', 'succeeded', 'failed']),
    responseStatus: z
      .number()
      .int()
      .nullable()
      .openapi({ description: '0 for a network error or timeout; null while pending' }),
    responseBody: z
      .string()
      .nullable()
      .openapi({ description: 'The first 20 KB of the response, or the error text' }),
    durationMs: z.number().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable().openapi({
      description: 'Pending: when it is due. Failed: when the retry is due (null when none follows)',
    }),
  })
  .openapi('WebhookAttempt');

/** A page of subscriptions. */
export const WebhookListSchema = z.object({
  items: z.array(WebhookSubscriptionSchema),
  nextCursor: z.string().nullable(),
});

/** A page of attempts, newest first. */
export const WebhookAttemptListSchema = z.object({
  items: z.array(WebhookAttemptSchema),
  nextCursor: z.string().nullable(),
});
