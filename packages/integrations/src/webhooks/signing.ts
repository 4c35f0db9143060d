/**
 * Standard Webhooks v1 signatures: `webhook-signature: v1,<base64 HMAC-SHA256>` over
 * `${id}.${timestamp}.${body}`, keyed by the base64-decoded bytes after `whsec_`. Any
 * receiver can check them with the official `standardwebhooks` library, or with
 * {@link verifyWebhook}.
 *
 * @module
 */
import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { ErrorCode, FileForgeError } from '@fileforge/core';

const PREFIX = 'whsec_';

/**
 * A new endpoint secret: `whsec_` + base64 of `bytes` random bytes. Shown to the subscriber
 * once (at creation or rotation); FileForge stores it encrypted.
 *
 * @param bytes Key length; the specification allows 24–64. @default 32
 * @example
 * ```ts
 * const secret = generateWebhookSecret(); // 'whsec_k3J…'
 * ```
 */
export function generateWebhookSecret(bytes = 32, random: (n: number) => Uint8Array = randomBytes): string {
  if (!Number.isInteger(bytes) || bytes < 24 || bytes > 64) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:webhooks] A webhook secret has 24-64 bytes, not ${bytes}`,
    );
  }
  return PREFIX + Buffer.from(random(bytes)).toString('base64');
}

/** The HMAC key of a `whsec_` secret (a secret without the prefix is taken as base64 too). */
export function secretKeyBytes(secret: string): Buffer {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, '[fileforge:webhooks] The webhook secret is empty');
  }
  return key;
}

/** A signing key: the secret (`whsec_…`), its decoded bytes, or a key object of them. */
export type WebhookSigningKey = string | Uint8Array | KeyObject;

const keyObjects = new Map<string, KeyObject>();

/**
 * The HMAC key object of a `whsec_` secret, remembered (up to 1,024 secrets), so signing an
 * attempt neither decodes the secret nor prepares a key again.
 */
export function signingKeyOf(secret: string): KeyObject {
  let key = keyObjects.get(secret);
  if (!key) {
    key = createSecretKey(secretKeyBytes(secret));
    if (keyObjects.size >= 1024) keyObjects.delete(keyObjects.keys().next().value as string);
    keyObjects.set(secret, key);
  }
  return key;
}

/** The base64 signature (without `v1,`) of one message attempt under one key. */
export function signatureOf(
  key: Uint8Array | KeyObject,
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  const hmac = createHmac('sha256', key);
  hmac.update(`${id}.${timestamp}.`);
  hmac.update(body);
  return hmac.digest('base64');
}

/**
 * The `webhook-signature` header value: one `v1,<base64>` entry per secret, space-separated
 * (two during a rotation's overlap).
 *
 * @example
 * ```ts
 * signWebhook(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_p5jXN8AQM9LWM0D4loKWxJek',
 *   1614265330, '{"test": 2432232314}');
 * // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 * ```
 */
export function signWebhook(
  secrets: readonly WebhookSigningKey[],
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  let header = '';
  for (const s of secrets) {
    const signature = signatureOf(typeof s === 'string' ? signingKeyOf(s) : s, id, timestamp, body);
    header = header === '' ? `v1,${signature}` : `${header} v1,${signature}`;
  }
  return header;
}

/** The three Standard Webhooks headers of one attempt. */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The signed headers of one attempt; `timestamp` is this attempt's Unix seconds. */
export function signedHeaders(
  secrets: readonly WebhookSigningKey[],
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): WebhookSignatureHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secrets, id, timestamp, body),
  };
}
