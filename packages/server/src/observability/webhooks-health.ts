import { withTimeout } from '@fileforge/core';
import type { WebhookBacklog, WebhookService } from '@fileforge/integrations';
import { z } from '@hono/zod-openapi';
import { type ComponentFailures, HEALTH_ERROR_DESCRIPTION } from './health-failures.js';

/**
 * A message still undelivered after this long makes the component `degraded`: the seed
 * guide's recovery-time objective for webhook delivery (5 minutes).
 */
export const WEBHOOK_BACKLOG_DEGRADED_MS = 5 * 60_000;
/** An attempt due this long without being sent means no process is delivering: `degraded`. */
export const WEBHOOK_LAG_DEGRADED_MS = 60_000;

/** The `webhooks` component of `/health/detailed`. */
export const WebhooksHealthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']).openapi({
      description:
        'degraded when a message has waited more than 5 minutes or a due attempt more than 1 minute; unhealthy when the outbox cannot be read',
    }),
    pending_messages: z
      .number()
      .int()
      .openapi({ description: 'Messages not yet delivered (retries waiting count)' }),
    pending_attempts: z.number().int(),
    due_attempts: z.number().int().openapi({ description: 'Attempts due now and not yet sent' }),
    oldest_pending_age_seconds: z
      .number()
      .nullable()
      .openapi({ description: 'Age of the oldest undelivered message; null when none waits' }),
    delivery_lag_seconds: z
      .number()
      .openapi({ description: 'How long the longest-due attempt has waited past its time' }),
    failing_endpoints: z
      .number()
      .int()
      .openapi({ description: 'Enabled subscriptions whose recent attempts all failed' }),
    disabled_endpoints: z.number().int(),
    error: z.string().optional().openapi({ description: HEALTH_ERROR_DESCRIPTION }),
  })
  .openapi('WebhooksHealth');

/** The component's value. */
export type WebhooksHealth = z.infer<typeof WebhooksHealthSchema>;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Reads a backlog as the component: counts only (the route is public), ages in seconds. */
export function webhooksHealthOf(backlog: WebhookBacklog): WebhooksHealth {
  const late =
    (backlog.oldestPendingAgeMs ?? 0) > WEBHOOK_BACKLOG_DEGRADED_MS ||
    backlog.deliveryLagMs > WEBHOOK_LAG_DEGRADED_MS;
  return {
    status: late ? 'degraded' : 'healthy',
    pending_messages: backlog.pendingMessages,
    pending_attempts: backlog.pendingAttempts,
    due_attempts: backlog.dueAttempts,
    oldest_pending_age_seconds:
      backlog.oldestPendingAgeMs === null ? null : seconds(backlog.oldestPendingAgeMs),
    delivery_lag_seconds: seconds(backlog.deliveryLagMs),
    failing_endpoints: backlog.failingEndpoints,
    disabled_endpoints: backlog.disabledEndpoints,
  };
}

/**
 * The webhook delivery backlog of the whole installation, from the outbox (two aggregate
 * reads). A receiver that is down makes its messages wait, which shows here as `degraded`
 * after 5 minutes — like an open connector circuit, it does not change the status code. An
 * outbox that has not answered within `timeoutMs` (a frozen catalog) makes it `unhealthy`,
 * with `report`'s fixed text as its `error` (the cause goes to the log).
 */
export async function webhooksHealth(
  service: () => WebhookService,
  report: ComponentFailures,
  timeoutMs = 5_000,
): Promise<WebhooksHealth> {
  try {
    const backlog = await withTimeout(() => service().backlog(), timeoutMs);
    report.passed();
    return webhooksHealthOf(backlog);
  } catch (error) {
    return {
      status: 'unhealthy',
      pending_messages: 0,
      pending_attempts: 0,
      due_attempts: 0,
      oldest_pending_age_seconds: null,
      delivery_lag_seconds: 0,
      failing_endpoints: 0,
      disabled_endpoints: 0,
      error: report.failed(error),
    };
  }
}
