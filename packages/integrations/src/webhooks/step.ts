/**
 * The `webhook` workflow step: one signed POST of `{ type, timestamp, data }` to a subscribed
 * URL, through the same guarded client and secret as the deliveries, with a `webhook-id`
 * derived from the step's idempotency key and a body timestamped with the step's first
 * attempt, so every retry of the step sends the same id and the same bytes. A 410 disables
 * the subscription, as for a delivery.
 *
 * @module
 */
import type { WorkflowStepKind } from '@fileforge/core';
import { z } from 'zod';
import type { WebhookService } from './service.js';

const options = z.object({
  /** A URL some enabled subscription of the run's tenant has (its secret signs the POST). */
  url: z.string().url(),
  /** The message `type`. */
  event: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/)
    .default('workflow.webhook'),
  /** The message `data`. */
  data: z.unknown().optional(),
});

/**
 * The `webhook` step kind over `service()` (resolved when the step runs).
 *
 * @example
 * ```yaml
 * steps:
 *   notify:
 *     uses: webhook
 *     with: { url: https://hooks.example.com/fileforge, event: invoice.received, data: { fileId: '{{ file.id }}' } }
 * ```
 */
export function webhookStep(service: () => WebhookService): WorkflowStepKind<typeof options> {
  return {
    name: 'webhook',
    options,
    timeoutMs: 30_000,
    async run(context, { url, event, data }) {
      return service().signedPost({
        tenant: context.tenant,
        url,
        type: event,
        data: data ?? null,
        idempotencyKey: context.idempotencyKey,
        // The same body on every retry of the step, as its webhook-id is the same.
        timestamp: context.startedAt,
        signal: context.signal,
      });
    },
  };
}
