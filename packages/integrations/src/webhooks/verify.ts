/**
 * The receiver's side: checks a Standard Webhooks v1 signature. Works with any sender that
 * follows the specification, FileForge included.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { secretKeyBytes, signatureOf } from './signing.js';

/** Options for {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * How far (seconds) `webhook-timestamp` may be from now, either way: older deliveries could
   * be replays, newer ones come from a wrong clock. @default 300
   */
  toleranceSec?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** Headers as Node's `IncomingMessage`, the Fetch `Headers` or a plain object carry them. */
export type WebhookHeaders =
  | Headers
  | Record<string, string | readonly string[] | undefined>
  | { get(name: string): string | null };

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const bag = headers as Record<string, string | readonly string[] | undefined>;
  const value = bag[name] ?? Object.entries(bag).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function refuse(reason: string, message: string): never {
  throw new FileForgeError(ErrorCode.UNAUTHENTICATED, `[fileforge:webhooks] ${message}`, {
    details: { reason },
  });
}

/**
 * Verifies a webhook the way the Standard Webhooks specification says: the HMAC-SHA256 of
 * `${webhook-id}.${webhook-timestamp}.${rawBody}` under the secret must equal one of the
 * `v1,` entries of `webhook-signature` (compared in constant time), and the timestamp must be
 * within `toleranceSec` of now. Pass the raw body exactly as received: re-serialised JSON does
 * not verify. Throws `UNAUTHENTICATED` (with `details.reason`) when the check fails; returns
 * the parsed JSON body when it passes.
 *
 * @example
 * ```ts
 * app.post('/hooks', express.raw({ type: 'application/json' }), (req, res) => {
 *   const message = verifyWebhook(process.env.WEBHOOK_SECRET!, req.headers, req.body);
 *   console.log(message.type);
 *   res.sendStatus(204);
 * });
 * ```
 */
export function verifyWebhook<T = { type: string; timestamp: string; data: unknown }>(
  secret: string,
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): T {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    refuse('missing_headers', 'Missing webhook-id, -timestamp or -signature');
  if (!/^\d{1,12}$/.test(timestamp)) refuse('invalid_timestamp', 'webhook-timestamp is not Unix seconds');
  const seconds = Number(timestamp);
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const tolerance = options.toleranceSec ?? 300;
  if (seconds < nowSec - tolerance) refuse('timestamp_too_old', 'webhook-timestamp is too old');
  if (seconds > nowSec + tolerance) refuse('timestamp_too_new', 'webhook-timestamp is in the future');
  // The signature's base64 text is compared, as the specification's libraries do: decoding
  // first would skip characters outside the alphabet, so a signature with junk spliced in
  // (`g0hM9Ss*E+…`) would pass as the real one.
  const expected = Buffer.from(signatureOf(secretKeyBytes(secret), id, seconds, rawBody));
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(entry.slice(comma + 1));
    // Every entry is compared (no early exit), each in constant time.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) refuse('signature_mismatch', 'No webhook-signature entry matches the secret');
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new FileForgeError(ErrorCode.BAD_REQUEST, '[fileforge:webhooks] The webhook body is not JSON', {
      cause,
    });
  }
}
