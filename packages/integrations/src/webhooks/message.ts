/**
 * The message body: `{ "type", "timestamp", "data" }`, serialised once and then stored, signed
 * and sent as these exact bytes on every attempt.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Largest body sent (bytes, exclusive): the Standard Webhooks guidance. */
export const MAX_MESSAGE_BYTES = 20 * 1024;

/** Serialises a message; throws `VALIDATION_FAILED` when it is 20 KB or more. */
export function messageBody(type: string, timestamp: string, data: unknown): string {
  const body = JSON.stringify({ type, timestamp, data: data ?? null });
  if (Buffer.byteLength(body) >= MAX_MESSAGE_BYTES) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:webhooks] A webhook message must be under ${MAX_MESSAGE_BYTES} bytes; send an id and let the receiver fetch the rest`,
      { details: { limit: MAX_MESSAGE_BYTES } },
    );
  }
  return body;
}

/** Keeps scalars and, of objects, their `id` (what a receiver needs to fetch the rest). */
function shrink(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || typeof v !== 'object') {
      if (typeof v !== 'string' || v.length <= 1024) out[key] = v;
    } else if (!Array.isArray(v) && typeof (v as { id?: unknown }).id === 'string') {
      out[key] = { id: (v as { id: string }).id };
    }
  }
  return { ...out, truncated: true };
}

/**
 * The body of a bus event's message: the payload without the fields the envelope carries
 * (`eventId`, `tenant`, `timestamp`). A payload too big for 20 KB (a file with a long
 * classification explanation) is cut down to its scalars and object ids, marked
 * `"truncated": true`.
 */
export function eventMessageBody(type: string, payload: Record<string, unknown>): string {
  const { eventId: _id, tenant: _tenant, timestamp, ...data } = payload;
  const at = typeof timestamp === 'string' ? timestamp : new Date().toISOString();
  try {
    return messageBody(type, at, data);
  } catch {
    return messageBody(type, at, shrink(data));
  }
}
