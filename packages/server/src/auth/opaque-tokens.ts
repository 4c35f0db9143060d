import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijkmnopqrstuvwxyz23456789';

/** A random id of `length` characters from an unambiguous alphabet. */
export function randomId(length = 16): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/** Hex SHA-256 of a high-entropy secret (secrets are random, so a fast hash is the right tool). */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Compares two hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** A credential of the form `<prefix>_<id>_<secret>`, e.g. `ff_abc…_XyZ…`. */
export interface OpaqueToken {
  id: string;
  secret: string;
  token: string;
}

/** Mints a new `<prefix>_<id>_<secret>` credential (secret: 32 random bytes, base64url). */
export function mintToken(prefix: string): OpaqueToken {
  const id = randomId(16);
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `${prefix}_${id}_${secret}` };
}

/** Splits a `<prefix>_<id>_<secret>` credential; `null` when it does not have that shape. */
export function parseToken(prefix: string, token: string): { id: string; secret: string } | null {
  const match = new RegExp(`^${prefix}_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$`).exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}
