/**
 * Credentials at rest, sealed with core's value sealer (`createValueSealer`, AES-256-GCM):
 * under ENCRYPTION_KEY's ring when one is configured, else under a key derived with
 * HKDF-SHA256 from the operator's SECRET_KEY. `tenant/slug` is authenticated with the value, so
 * a row copied to another tenant or connector does not open. Each row stores the id of the key
 * that sealed it: rows sealed under a SECRET_KEY-derived key (`hkdf-sha256:…`, including those
 * of `previousSecretKeys`) still open once ENCRYPTION_KEY is set, and rows under a key of
 * ENCRYPTION_KEYS_OLD open too; every write seals under the current key.
 *
 * @module
 */
import { createHash, hkdfSync } from 'node:crypto';
import { createValueSealer, ErrorCode, FileForgeError, type KeyRing, type SealingKey } from '@fileforge/core';

const INFO = 'fileforge:connectors:credentials:v1';

/** Options of {@link createCredentialCipher}. */
export interface CredentialCipherOptions {
  /** SECRET_KEY: at least 16 bytes of key material; seals when there is no `keyRing`. */
  secretKey: string | Uint8Array;
  /** Earlier SECRET_KEYs whose rows must still open (rotation). @default [] */
  previousSecretKeys?: ReadonlyArray<string | Uint8Array>;
  /** ENCRYPTION_KEY (+ ENCRYPTION_KEYS_OLD): seals every new row when given. @default none */
  keyRing?: KeyRing | undefined;
}

/** Seals and opens credential blobs. */
export interface CredentialCipher {
  /** Id of the key new rows are sealed with. */
  readonly keyId: string;
  seal(plain: string, aad: string): { keyId: string; sealed: string };
  open(sealed: string, keyId: string, aad: string): string;
}

function deriveKey(secret: string | Uint8Array): SealingKey {
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
 * const cipher = createCredentialCipher({ secretKey: process.env.SECRET_KEY!, keyRing: forge.options.keyRing });
 * const { keyId, sealed } = cipher.seal(JSON.stringify(credentials), 'default/slack');
 * ```
 */
export function createCredentialCipher(options: CredentialCipherOptions): CredentialCipher {
  const sealer = createValueSealer({
    purpose: 'connectors:credentials',
    label: 'Stored credentials',
    keyRing: options.keyRing,
    fallbackKeys: [options.secretKey, ...(options.previousSecretKeys ?? [])].map(deriveKey),
  });
  return {
    keyId: sealer.keyId,
    seal: (plain, aad) => ({ keyId: sealer.keyId, sealed: sealer.seal(plain, aad) }),
    open: (sealed, keyId, aad) => sealer.open(sealed, aad, keyId),
  };
}
