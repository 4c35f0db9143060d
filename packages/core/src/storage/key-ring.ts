/**
 * Master keys for encryption at rest: parsing, key ids, and the ring of keys a process may use
 * (one current key that wraps new data keys, older ones still accepted for reading).
 *
 * A key is written `[<id>:]<base64>`: 32 bytes in standard or URL-safe base64, padded or not
 * (a Fernet-style `generate_key()` output works as is). Without an id, the id is the first 8
 * hex digits of the key's SHA-256, so the same key always gets the same id.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { ErrorCode, FileForgeError } from '../errors/index.js';

/** A 256-bit master key and the id recorded in every blob header it wraps. */
export interface MasterKey {
  /** `[A-Za-z0-9._-]{1,31}`; stored in blob headers. */
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** A key as configured: the bytes (or their base64) and, optionally, its id. */
export interface MasterKeyInput {
  /** @default the first 8 hex digits of the key's SHA-256 */
  id?: string;
  /** 32 raw bytes, or a `[<id>:]<base64>` string. */
  key: Uint8Array | string;
}

/** Options for {@link createKeyRing}. */
export interface KeyRingOptions {
  /**
   * The keys this process knows (`[<id>:]<base64>` strings, 32 raw bytes, or `{ id?, key }`);
   * the first is current unless `currentKeyId` says otherwise.
   */
  keys: readonly (MasterKeyInput | Uint8Array | string)[];
  /** Id of the key that wraps new data keys. @default the id of `keys[0]` */
  currentKeyId?: string;
}

/** The master keys of a process: the current one and every key accepted for reading. */
export interface KeyRing {
  /** Wraps every new data key (and, on `keys rotate`, every existing one). */
  readonly current: MasterKey;
  /** The key with this id, or `undefined` if it is not configured. */
  get(id: string): MasterKey | undefined;
  /** Ids of every configured key, the current first. */
  readonly ids: readonly string[];
}

const KEY_ID = /^[A-Za-z0-9._-]{1,31}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const invalid = (message: string, variable?: string) =>
  new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:encryption] ${message}`, {
    ...(variable ? { details: { variable } } : {}),
  });

/** The id FileForge derives for a key given without one: the first 8 hex digits of its SHA-256. */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Parses `[<id>:]<base64>` into a {@link MasterKey}; `INVALID_CONFIG` (never echoing the key)
 * for anything but 32 bytes or a bad id. `what` names the setting in the message.
 */
export function parseMasterKey(text: string, what = 'ENCRYPTION_KEY'): MasterKey {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const id = colon >= 0 ? trimmed.slice(0, colon) : undefined;
  const encoded = colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
  if (!BASE64.test(encoded)) {
    throw invalid(`${what} must be 32 bytes in base64 or base64url, optionally "<id>:" in front`, what);
  }
  return masterKey(
    {
      key: Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64'),
      ...(id === undefined ? {} : { id }),
    },
    what,
  );
}

function masterKey(input: MasterKeyInput, what: string): MasterKey {
  if (typeof input.key === 'string') {
    const parsed = parseMasterKey(input.key, what);
    return input.id === undefined ? parsed : masterKey({ id: input.id, key: parsed.key }, what);
  }
  const key = Buffer.from(input.key);
  if (key.length !== 32) {
    throw invalid(
      `${what} must be a 32-byte key (got ${key.length} bytes); generate one with: openssl rand -base64 32`,
      what,
    );
  }
  const id = input.id ?? keyIdOf(key);
  if (!KEY_ID.test(id)) throw invalid(`${what}: a key id must be 1-31 characters of [A-Za-z0-9._-]`, what);
  return { id, key };
}

/**
 * Creates a {@link KeyRing}. Bad keys, duplicate ids or an unknown `currentKeyId` fail here,
 * at construction.
 *
 * @example
 * ```ts
 * const ring = createKeyRing({ keys: [process.env.ENCRYPTION_KEY!, 'old:q3v…='] });
 * ring.current.id; // e.g. '3f9a0c1e'
 * ```
 */
export function createKeyRing(options: KeyRingOptions): KeyRing {
  const keys = (options?.keys ?? []).map((k) =>
    typeof k === 'string'
      ? parseMasterKey(k)
      : masterKey(k instanceof Uint8Array ? { key: k } : k, 'encryption key'),
  );
  if (keys.length === 0) throw invalid('A key ring needs at least one key');
  const byId = new Map<string, MasterKey>();
  for (const key of keys) {
    const same = byId.get(key.id);
    if (same && !same.key.equals(key.key)) throw invalid(`Two different keys have the id "${key.id}"`);
    byId.set(key.id, key);
  }
  const current = options.currentKeyId === undefined ? keys[0]! : byId.get(options.currentKeyId);
  if (!current) throw invalid(`currentKeyId "${options.currentKeyId}" is not one of the configured keys`);
  const ids = [current.id, ...[...byId.keys()].filter((id) => id !== current.id)];
  // Logged or serialised (e.g. with the forge's options), a ring shows its ids, never its keys.
  const shown = () => ({ keyIds: ids });
  return {
    current,
    get: (id) => byId.get(id),
    ids,
    toJSON: shown,
    [inspect.custom]: shown,
  } as KeyRing;
}

/**
 * The key ring the environment configures: `ENCRYPTION_KEY` (current) and
 * `ENCRYPTION_KEYS_OLD` (comma-separated, still accepted for reading), or `undefined` when
 * `ENCRYPTION_KEY` is unset. Connector credentials and webhook secrets use the same ring.
 */
export function keyRingFromEnv(env: {
  ENCRYPTION_KEY?: string | undefined;
  ENCRYPTION_KEYS_OLD?: readonly string[] | undefined;
}): KeyRing | undefined {
  if (!env.ENCRYPTION_KEY) return undefined;
  const current = parseMasterKey(env.ENCRYPTION_KEY, 'ENCRYPTION_KEY');
  const old = (env.ENCRYPTION_KEYS_OLD ?? []).map((k) => parseMasterKey(k, 'ENCRYPTION_KEYS_OLD'));
  return createKeyRing({ keys: [current, ...old], currentKeyId: current.id });
}
