/**
 * Sends one claimed attempt and records what happened: sign (with both secrets during a
 * rotation's overlap), POST through the guarded HTTP client, classify (2xx succeeds; 3xx,
 * 4xx, 5xx, timeouts and network errors fail), schedule the retry, and keep the endpoint's
 * health (`410` disables at once; nothing but failures for `disableAfterMs` disables; any
 * success clears the clock). The outcome, the retry and the health change are one write.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { FileForgeError, type ForgeLogger } from '@fileforge/core';
import type { HttpClient } from '../http/index.js';
import type { WebhookDisabledReason } from './model.js';
import { parseRetryAfter, retryDelay } from './schedule.js';
import type { SecretBox } from './secret-box.js';
import { signWebhook } from './signing.js';
import type { AttemptResult, AttemptStore, ClaimedAttempt, HealthChange } from './store/attempts.js';
import type { NewAttemptRow } from './store/rows.js';

/** First bytes of a response (or error) kept in the history. */
export const MAX_RECORDED_RESPONSE_BYTES = 20 * 1024;

/** Largest response read; past it the status still counts and the body is not kept. */
const MAX_READ_RESPONSE_BYTES = 256 * 1024;

/** What sending needs; built once by the service. */
export interface DeliveryContext {
  attempts: AttemptStore;
  box: SecretBox;
  client: HttpClient;
  now: () => number;
  random: () => number;
  schedule: readonly number[];
  jitter: number;
  timeoutMs: number;
  userAgent: string;
  disableAfterMs: number;
  newId: () => string;
  /** ISO-8601 string of epoch milliseconds, as the catalog stores times (memoised per service). */
  iso: (ms: number) => string;
  logger: ForgeLogger;
  /** Told once when an endpoint gets disabled (publishes `webhook.disabled`). */
  onDisabled(event: {
    tenant: string;
    endpointId: string;
    url: string;
    reason: WebhookDisabledReason;
  }): Promise<void>;
}

interface Outcome {
  responseStatus: number;
  responseBody: string;
  retryAfterMs?: number;
}

function errorText(error: unknown): string {
  if (FileForgeError.is(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

async function post(ctx: DeliveryContext, claimed: ClaimedAttempt, signal?: AbortSignal): Promise<Outcome> {
  const { endpoint } = claimed;
  const now = ctx.now();
  const secrets = [ctx.box.open(endpoint.secret, claimed.endpointId)];
  if (
    endpoint.previousSecret &&
    endpoint.previousSecretExpiresAt &&
    Date.parse(endpoint.previousSecretExpiresAt) > now
  ) {
    secrets.push(ctx.box.open(endpoint.previousSecret, claimed.endpointId));
  }
  const timestamp = Math.floor(now / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': ctx.userAgent,
    'webhook-id': claimed.messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secrets, claimed.messageId, timestamp, claimed.body),
  };
  try {
    const response = await ctx.client.request({
      method: 'POST',
      url: endpoint.url,
      headers,
      body: claimed.body,
      timeoutMs: ctx.timeoutMs,
      maxResponseBytes: MAX_READ_RESPONSE_BYTES,
      ...(signal ? { signal } : {}),
    });
    const retryAfter =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers['retry-after'], now)
        : undefined;
    return {
      responseStatus: response.status,
      responseBody: Buffer.from(response.body.subarray(0, MAX_RECORDED_RESPONSE_BYTES)).toString('utf8'),
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    };
  } catch (error) {
    // An answer too long to read still has a status: a 2xx with a huge body is delivered.
    const status =
      FileForgeError.is(error) && error.details?.reason === 'response_too_large' ? error.details.status : 0;
    if (typeof status === 'number' && status > 0)
      return { responseStatus: status, responseBody: errorText(error) };
    return { responseStatus: 0, responseBody: errorText(error).slice(0, MAX_RECORDED_RESPONSE_BYTES) };
  }
}

/** What one send got back, not yet recorded; see {@link sendAttempt}. */
export interface SentAttempt {
  outcome: Outcome;
  durationMs: number;
}

/** Sends `claimed` (signed, through the guarded client); nothing is recorded yet. */
export async function sendAttempt(
  ctx: DeliveryContext,
  claimed: ClaimedAttempt,
  signal?: AbortSignal,
): Promise<SentAttempt> {
  const started = performance.now();
  const outcome: Outcome = claimed.endpoint.enabled
    ? await post(ctx, claimed, signal)
    : { responseStatus: 0, responseBody: '[fileforge:webhooks] Not sent: the endpoint is disabled' };
  return { outcome, durationMs: Math.round(performance.now() - started) };
}

/**
 * Sends `claimed` (leased to `owner`) and records the outcome; returns false when the lease
 * was lost meanwhile (nothing recorded: the holder records its own send).
 */
export async function deliverAttempt(
  ctx: DeliveryContext,
  claimed: ClaimedAttempt,
  owner: string,
  signal?: AbortSignal,
): Promise<boolean> {
  return recordAttempt(ctx, claimed, owner, await sendAttempt(ctx, claimed, signal));
}

/**
 * Records what {@link sendAttempt} got for `claimed` (leased to `owner`) in one write: the
 * outcome, the retry and the endpoint's health change. Returns false when the lease was lost
 * meanwhile (nothing recorded: the holder records its own send).
 */
export async function recordAttempt(
  ctx: DeliveryContext,
  claimed: ClaimedAttempt,
  owner: string,
  { outcome, durationMs }: SentAttempt,
): Promise<boolean> {
  const { endpoint } = claimed;
  const now = ctx.now();
  const at = ctx.iso(now);
  const ok = outcome.responseStatus >= 200 && outcome.responseStatus < 300;

  const gone = endpoint.enabled && outcome.responseStatus === 410;
  let next: NewAttemptRow | null = null;
  if (!ok && endpoint.enabled && !gone && claimed.trigger === 'scheduled') {
    // The schedule goes by scheduled attempts: resends between them take numbers, not steps.
    const step = claimed.scheduleStep;
    const delay = retryDelay(step, ctx, outcome.retryAfterMs);
    if (delay !== null) {
      // Numbered by the store when it is recorded: after any resend recorded meanwhile.
      next = {
        id: ctx.newId(),
        tenant: claimed.tenant,
        endpoint_id: claimed.endpointId,
        message_id: claimed.messageId,
        trigger: 'scheduled',
        url: endpoint.url,
        status: 'pending',
        response_status: null,
        response_body: null,
        duration_ms: null,
        created_at: at,
        sent_at: null,
        next_attempt_at: ctx.iso(now + delay),
        lease_owner: null,
        lease_until: null,
        dedupe_key: `${claimed.endpointId}/${claimed.messageId}/${step + 1}`,
        schedule_step: step + 1,
      };
    }
  }
  // Decided on the endpoint's row when the outcome is written (see HealthChange).
  const { endpointId } = claimed;
  const health: HealthChange | null = !endpoint.enabled
    ? null
    : ok
      ? { endpointId, kind: 'healthy' }
      : gone
        ? { endpointId, kind: 'disable', reason: 'gone', at }
        : { endpointId, kind: 'failed', at, disableFrom: ctx.iso(now - ctx.disableAfterMs) };
  const result: AttemptResult = {
    status: ok ? 'succeeded' : 'failed',
    url: endpoint.url,
    responseStatus: outcome.responseStatus,
    responseBody: outcome.responseBody,
    durationMs,
    sentAt: at,
    next,
    health,
  };
  const finished = await ctx.attempts.finish(claimed.id, owner, result);
  if (!finished.recorded) return false;
  if (finished.disabled !== null) {
    const reason = finished.disabled;
    ctx.logger.warn({ webhookId: claimed.endpointId, reason }, 'webhook endpoint disabled');
    await ctx.onDisabled({
      tenant: claimed.tenant,
      endpointId: claimed.endpointId,
      url: endpoint.url,
      reason,
    });
  }
  return true;
}
