/**
 * Endpoint secrets at rest: AES-256-GCM under a key derived with HKDF-SHA256 from the
 * operator's SECRET_KEY, so a copy of the catalog alone reveals no signing secret. A stored
 * value reads `v1.<iv>.<tag>.<ciphertext>` (base64url); the endpoint id is the additional
 * authenticated data, so a ciphertext moved to another endpoint does not decrypt.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Encrypts and decrypts endpoint secrets. */
export interface SecretBox {
  seal(plain: string, endpointId: string): string;
  open(sealed: string, endpointId: string): string;
}

const INFO = 'fileforge:webhooks:endpoint-secret:v1';

/**
 * A {@link SecretBox} keyed by `secretKey` (SECRET_KEY: at least 16 bytes of key material).
 * Decrypted secrets are cached by ciphertext, so signing does not pay for AES per attempt.
 */
export function createSecretBox(secretKey: string | Uint8Array): SecretBox {
  const material = typeof secretKey === 'string' ? Buffer.from(secretKey, 'utf8') : Buffer.from(secretKey);
  if (material.length < 16) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:webhooks] Option "secretKey" (SECRET_KEY) needs at least 16 bytes to encrypt endpoint secrets',
    );
  }
  const key = Buffer.from(hkdfSync('sha256', material, 'fileforge', INFO, 32));
  const cache = new Map<string, string>();
  return {
    seal(plain, endpointId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(endpointId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return `v1.${parts.join('.')}`;
    },
    open(sealed, endpointId) {
      const hit = cache.get(`${endpointId}:${sealed}`);
      if (hit !== undefined) return hit;
      const [version, iv, tag, body] = sealed.split('.');
      try {
        if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unknown format');
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(endpointId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
        if (cache.size >= 1024) cache.delete(cache.keys().next().value as string);
        cache.set(`${endpointId}:${sealed}`, plain);
        return plain;
      } catch (cause) {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          '[fileforge:webhooks] An endpoint secret does not decrypt: was SECRET_KEY changed?',
          { cause },
        );
      }
    },
  };
}
