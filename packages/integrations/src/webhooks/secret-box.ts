/**
 * Endpoint secrets at rest, sealed with core's value sealer (`createValueSealer`,
 * AES-256-GCM): under ENCRYPTION_KEY's ring when one is configured, else under a key derived
 * with HKDF-SHA256 from the operator's SECRET_KEY, so a copy of the catalog alone reveals no
 * signing secret. The endpoint id is authenticated with the value, so a ciphertext moved to
 * another endpoint does not open. A stored value names the key that sealed it; values written
 * before ENCRYPTION_KEY was set (SECRET_KEY-derived) still open and are sealed under the
 * current key when the secret is next written (rotated).
 *
 * @module
 */
import { createHash, hkdfSync } from 'node:crypto';
import { createValueSealer, ErrorCode, FileForgeError, type KeyRing } from '@fileforge/core';
import type { Kysely } from 'kysely';
import type { WebhookDatabase } from './store/rows.js';

/** Encrypts and decrypts endpoint secrets. */
export interface SecretBox {
  seal(plain: string, endpointId: string): string;
  open(sealed: string, endpointId: string): string;
  /** Whether `sealed` is under another key than the one new secrets are sealed with. */
  stale(sealed: string): boolean;
}

/** The keys of a {@link SecretBox}: the webhook options' `secretKey` and `keyRing`. */
export interface SecretBoxKeys {
  /** SECRET_KEY: at least 16 bytes of key material. */
  secretKey: string | Uint8Array;
  /** ENCRYPTION_KEY's ring; seals when given. */
  keyRing?: KeyRing | undefined;
}

const INFO = 'fileforge:webhooks:endpoint-secret:v1';

/**
 * A {@link SecretBox} over `keys` (or SECRET_KEY alone). Decrypted secrets are cached by
 * ciphertext, so signing does not pay for AES per attempt.
 */
export function createSecretBox(keys: SecretBoxKeys | string | Uint8Array): SecretBox {
  const { secretKey, keyRing } =
    typeof keys === 'string' || keys instanceof Uint8Array ? { secretKey: keys } : keys;
  const material = typeof secretKey === 'string' ? Buffer.from(secretKey, 'utf8') : Buffer.from(secretKey);
  if (material.length < 16) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:webhooks] Option "secretKey" (SECRET_KEY) needs at least 16 bytes to encrypt endpoint secrets',
    );
  }
  const key = Buffer.from(hkdfSync('sha256', material, 'fileforge', INFO, 32));
  const id = `hkdf-sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  const sealer = createValueSealer({
    purpose: 'webhooks:endpoint-secret',
    label: 'An endpoint secret',
    keyRing,
    fallbackKeys: [{ id, key }],
  });
  const cache = new Map<string, string>();
  return {
    seal: (plain, endpointId) => sealer.seal(plain, endpointId),
    stale: (sealed) => sealer.keyIdOf(sealed) !== sealer.keyId,
    open(sealed, endpointId) {
      const hit = cache.get(`${endpointId}:${sealed}`);
      if (hit !== undefined) return hit;
      const plain = sealer.open(sealed, endpointId);
      if (cache.size >= 1024) cache.delete(cache.keys().next().value as string);
      cache.set(`${endpointId}:${sealed}`, plain);
      return plain;
    },
  };
}

/**
 * Re-seals every stored endpoint secret (and previous secret still in its overlap) under the
 * current key (`fileforge keys rotate`). A row changed meanwhile (a secret rotated) is left as
 * that change made it. Resolves with the number re-sealed, already current, and failures.
 */
export async function resealEndpointSecrets(
  db: Kysely<WebhookDatabase>,
  keys: SecretBoxKeys,
): Promise<{
  resealed: number;
  current: number;
  failed: Array<{ target: string; code: string; message: string }>;
}> {
  const box = createSecretBox(keys);
  const report = {
    resealed: 0,
    current: 0,
    failed: [] as Array<{ target: string; code: string; message: string }>,
  };
  const rows = await db.selectFrom('webhook_endpoints').select(['id', 'secret', 'previous_secret']).execute();
  for (const row of rows) {
    for (const column of ['secret', 'previous_secret'] as const) {
      const sealed = row[column];
      if (!sealed) continue;
      if (!box.stale(sealed)) {
        report.current += 1;
        continue;
      }
      try {
        await db
          .updateTable('webhook_endpoints')
          .set({ [column]: box.seal(box.open(sealed, row.id), row.id) })
          .where('id', '=', row.id)
          .where(column, '=', sealed)
          .execute();
        report.resealed += 1;
      } catch (error) {
        const { code = 'INTERNAL', message = String(error) } = error as { code?: string; message?: string };
        report.failed.push({ target: `webhook ${row.id} ${column}`, code, message });
      }
    }
  }
  return report;
}
