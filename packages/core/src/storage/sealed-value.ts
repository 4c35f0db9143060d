/**
 * Small secrets at rest (connector credentials, webhook endpoint secrets): AES-256-GCM with a
 * fresh 96-bit random nonce per value, under the same master keys as encryption at rest.
 *
 * How this works: each master key of the {@link KeyRing} gives one subkey per `purpose`
 * (HKDF-SHA256), so a value sealed for one use never opens as another, and the blob store's
 * key wrapping never shares a key with it. A sealed value reads
 * `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url each); the purpose, the key id and the
 * caller's `aad` (e.g. `tenant/slug`, an endpoint id) are authenticated, so a value copied to
 * another row does not open. Without a ring, the caller's `fallbackKeys` (the SECRET_KEY-derived
 * keys of earlier versions) seal; with one, they only open — so rows from before ENCRYPTION_KEY
 * was set still read, and are sealed under the ring's current key when next written. Values of
 * the earlier `v1.<iv>.<tag>.<ciphertext>` format (no key id, raw `aad`) open with a fallback key.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { KeyRing } from './key-ring.js';

/** A ready-to-use 32-byte AES key and its id. */
export interface SealingKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Options of {@link createValueSealer}. */
export interface ValueSealerOptions {
  /**
   * What is sealed, `<subsystem>:<what>` (e.g. `connectors:credentials`): selects the subkey,
   * is authenticated with every value, and names the subsystem in error messages.
   */
  purpose: string;
  /** ENCRYPTION_KEY and ENCRYPTION_KEYS_OLD: the current key seals, every key opens. */
  keyRing?: KeyRing | undefined;
  /**
   * Keys used as they are (e.g. derived from SECRET_KEY). Without `keyRing`, the first seals;
   * with it, they only open values written before the ring was configured.
   * @default []
   */
  fallbackKeys?: readonly SealingKey[];
  /** How error messages name a value, e.g. `Stored credentials`. @default 'A sealed value' */
  label?: string;
}

/** Seals and opens small secrets; see the module comment for the format. */
export interface ValueSealer {
  /** Id of the key new values are sealed with. */
  readonly keyId: string;
  /** Seals `plain`, bound to `aad`. */
  seal(plain: string, aad: string): string;
  /**
   * Opens a sealed value. `keyId` names the key of a `v1` value (which does not carry one);
   * `KEY_UNAVAILABLE` when that key is not configured, `INVALID_CONFIG` when it does not
   * authenticate (tampered, or moved to another row).
   */
  open(sealed: string, aad: string, keyId?: string): string;
  /** The id of the key that sealed a value (`v1`: `undefined`). */
  keyIdOf(sealed: string): string | undefined;
}

const VERSION = 'v2';
const SALT = 'fileforge';

function subkey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, SALT, `fileforge:sealed-value:${purpose}`, 32));
}

/**
 * Creates a {@link ValueSealer}; bad options (an empty purpose, no key at all) fail here.
 *
 * @example
 * ```ts
 * const sealer = createValueSealer({ purpose: 'webhooks:endpoint-secret', keyRing: forge.options.keyRing });
 * const stored = sealer.seal(secret, endpointId);
 * sealer.open(stored, endpointId) === secret; // true
 * ```
 */
export function createValueSealer(options: ValueSealerOptions): ValueSealer {
  const { purpose, keyRing } = options;
  const fallback = new Map((options.fallbackKeys ?? []).map((k) => [k.id, k.key]));
  const subsystem = purpose.split(':')[0] || 'encryption';
  const label = options.label ?? 'A sealed value';
  if (!purpose) throw config(subsystem, 'createValueSealer needs a "purpose"');
  const first = options.fallbackKeys?.[0];
  const currentId = keyRing?.current.id ?? first?.id;
  if (currentId === undefined) {
    throw config(subsystem, 'No key to seal values with: set ENCRYPTION_KEY (or SECRET_KEY)');
  }
  const derived = new Map<string, Buffer>();
  const keyFor = (id: string): Buffer | undefined => {
    const master = keyRing?.get(id);
    if (!master) return fallback.get(id);
    const known = derived.get(id);
    if (known) return known;
    const key = subkey(master.key, purpose);
    derived.set(id, key);
    return key;
  };
  const aadOf = (id: string, aad: string) => Buffer.from(`${purpose}\n${id}\n${aad}`, 'utf8');

  return {
    keyId: currentId,
    keyIdOf: (sealed) => (sealed.startsWith(`${VERSION}.`) ? decodeId(sealed.split('.')[1]) : undefined),
    seal(plain, aad) {
      const key = keyFor(currentId) as Buffer;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aadOf(currentId, aad));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [Buffer.from(currentId, 'utf8'), iv, cipher.getAuthTag(), body];
      return `${VERSION}.${parts.map((b) => b.toString('base64url')).join('.')}`;
    },
    open(sealed, aad, hint) {
      const parts = sealed.split('.');
      const legacy = parts[0] === 'v1';
      const id = legacy ? (hint ?? first?.id) : decodeId(parts[1]);
      const key = id === undefined ? undefined : keyFor(id);
      if (!key) {
        throw new FileForgeError(
          ErrorCode.KEY_UNAVAILABLE,
          `[fileforge:${subsystem}] ${label} was sealed with key ${id ?? '(unknown)'}, which is not configured: add it to ENCRYPTION_KEYS_OLD (or restore the SECRET_KEY it came from)`,
          { details: { keyId: id } },
        );
      }
      const [iv, tag, body] = legacy ? parts.slice(1) : parts.slice(2);
      try {
        if ((!legacy && parts[0] !== VERSION) || !iv || !tag || body === undefined) {
          throw new Error('unknown format');
        }
        // A full 16-byte tag only: GCM would otherwise accept a tag cut down to 4 bytes.
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
          authTagLength: 16,
        });
        decipher.setAAD(legacy ? Buffer.from(aad, 'utf8') : aadOf(id as string, aad));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
        return plain.toString('utf8');
      } catch (cause) {
        throw config(subsystem, `${label} does not decrypt (tampered, or moved to another record)`, cause);
      }
    },
  };
}

function decodeId(part: string | undefined): string | undefined {
  return part ? Buffer.from(part, 'base64url').toString('utf8') : undefined;
}

function config(subsystem: string, message: string, cause?: unknown): FileForgeError {
  return new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:${subsystem}] ${message}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}
