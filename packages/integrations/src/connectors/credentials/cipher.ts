/**
 * Credentials at rest: AES-256-GCM under a key derived with HKDF-SHA256 from the operator's
 * SECRET_KEY (until the data-safety work brings key management). A sealed value reads
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); `tenant/slug` is the additional authenticated
 * data, so a row copied to another tenant or connector does not decrypt. Each key has an id
 * (a fingerprint of the derived key, not the key) stored with the row: after a SECRET_KEY
 * change, rows sealed under a key listed in `previousSecretKeys` still open and are re-sealed
 * under the new key on their next write.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { ErrorCode, FileForgeError } from '@fileforge/core';

const INFO = 'fileforge:connectors:credentials:v1';

/** Options of {@link createCredentialCipher}. */
export interface CredentialCipherOptions {
  /** SECRET_KEY: at least 16 bytes of key material. */
  secretKey: string | Uint8Array;
  /** Earlier SECRET_KEYs whose rows must still open (rotation). @default [] */
  previousSecretKeys?: ReadonlyArray<string | Uint8Array>;
}

/** Seals and opens credential blobs. */
export interface CredentialCipher {
  /** Id of the key new rows are sealed with. */
  readonly keyId: string;
  seal(plain: string, aad: string): { keyId: string; sealed: string };
  open(sealed: string, keyId: string, aad: string): string;
}

function deriveKey(secret: string | Uint8Array): { id: string; key: Buffer } {
  const material = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (material.length < 16) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:connectors] Option "secretKey" (SECRET_KEY) needs at least 16 bytes to encrypt credentials',
    );
  }
  const key = Buffer.from(hkdfSync('sha256', material, 'fileforge', INFO, 32));
  return { id: `hkdf-sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`, key };
}

/**
 * Creates the credentials cipher.
 *
 * @example
 * ```ts
 * const cipher = createCredentialCipher({ secretKey: process.env.SECRET_KEY! });
 * const { keyId, sealed } = cipher.seal(JSON.stringify(credentials), 'default/slack');
 * ```
 */
export function createCredentialCipher(options: CredentialCipherOptions): CredentialCipher {
  const current = deriveKey(options.secretKey);
  const keys = new Map([[current.id, current.key]]);
  for (const previous of options.previousSecretKeys ?? []) {
    const { id, key } = deriveKey(previous);
    if (!keys.has(id)) keys.set(id, key);
  }
  return {
    keyId: current.id,
    seal(plain, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const sealed = `v1.${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
      return { keyId: current.id, sealed };
    },
    open(sealed, keyId, aad) {
      const key = keys.get(keyId);
      if (!key) {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          `[fileforge:connectors] Credentials were sealed with key ${keyId}, which is not configured: restore that SECRET_KEY (or pass it in previousSecretKeys)`,
          { details: { keyId } },
        );
      }
      const [version, iv, tag, body] = sealed.split('.');
      try {
        if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unknown format');
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (cause) {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          '[fileforge:connectors] Stored credentials do not decrypt (tampered, or moved between tenants); connect again',
          { cause },
        );
      }
    },
  };
}
