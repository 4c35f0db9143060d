/**
 * The signature of a backup manifest (security spec O1): HMAC-SHA256 over the manifest's
 * canonical encoding, with a key only the installation holds, so an archive whose manifest was
 * edited — objects swapped and their SHA-256s recomputed, a catalog with an extra admin — or
 * that another installation made is refused before anything is restored.
 *
 * How this works: the signing key is derived (HKDF-SHA256, its own purpose, so it is never the
 * key of anything else) from the current ENCRYPTION_KEY when one is set, otherwise from
 * SECRET_KEY — the same choice as for sealed connector credentials. Its id goes in the
 * manifest (`encryption:<key id>` or `secret-key:<fingerprint>`; a fingerprint is the first 16
 * hex digits of the derived key's SHA-256 and reveals nothing of it). A restore accepts the
 * signature of any key it can derive: the current ENCRYPTION_KEY, every ENCRYPTION_KEYS_OLD
 * and SECRET_KEY, so backups made before a key rotation, or before ENCRYPTION_KEY was set,
 * still verify. The MAC covers a JSON array of every manifest field in a fixed order (as the
 * audit chain does), so it does not depend on how the JSON text was laid out.
 *
 * @module
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ErrorCode, FileForgeError, type KeyRing } from '@fileforge/core';
import type { BackupManifest, ManifestSignature } from './manifest.js';
import { backupInvalid, MANIFEST_FORMAT } from './manifest.js';

/** A manifest signing key and the id the manifest names it by. */
export interface ManifestKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The keys of an installation: the one new backups are signed with, and every one a restore accepts. */
export interface ManifestKeys {
  /** Signs new backups; absent when the installation has no key at all (a restore on a fresh machine). */
  readonly signing?: ManifestKey;
  /** Every key a signature may verify under, the signing key first. */
  readonly accepted: readonly ManifestKey[];
}

/** Where the keys come from: SECRET_KEY and the ENCRYPTION_KEY ring. */
export interface ManifestKeySources {
  secretKey?: string | undefined;
  keyRing?: KeyRing | undefined;
}

/** How {@link checkManifestSignature} treats an archive whose origin cannot be checked. */
export interface SignatureCheckOptions {
  /**
   * Accept an unsigned manifest (a backup from before manifests were signed) or one signed by a
   * key this installation does not have, instead of refusing it. A signature that fails under a
   * key it does have (the manifest was altered) is refused regardless.
   * @default false
   */
  allowUnverified?: boolean;
}

/** What the check found: verified under `keyId`, or accepted unverified for `reason`. */
export type SignatureCheck =
  | { verified: true; keyId: string }
  | { verified: false; reason: 'unsigned' | 'signature_key_unknown'; keyId?: string };

/** The only algorithm a manifest is signed with. */
export const MANIFEST_SIGNATURE_ALG = 'HMAC-SHA256';
const INFO = 'fileforge:backup-manifest';

function derive(material: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'fileforge', INFO, 32));
}

/**
 * The manifest keys of an installation. Bad or missing sources are not an error here: a
 * restore on a fresh machine may have none (every signed archive is then refused as signed by
 * an unknown key).
 */
export function manifestKeys({ secretKey, keyRing }: ManifestKeySources): ManifestKeys {
  const fromRing = (keyRing?.ids ?? []).map((id) => ({
    id: `encryption:${id}`,
    key: derive(keyRing!.get(id)!.key),
  }));
  const fromSecret: ManifestKey[] = [];
  if (secretKey) {
    const key = derive(Buffer.from(secretKey, 'utf8'));
    fromSecret.push({ id: `secret-key:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`, key });
  }
  const accepted = [...fromRing, ...fromSecret];
  return accepted[0] ? { signing: accepted[0], accepted } : { accepted };
}

/** The signing key of `keys`; `INVALID_CONFIG` when there is none (neither SECRET_KEY nor ENCRYPTION_KEY). */
export function signingKeyOf(keys: ManifestKeys): ManifestKey {
  if (!keys.signing) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:backup] No key to sign the backup manifest with: set SECRET_KEY (or ENCRYPTION_KEY)',
    );
  }
  return keys.signing;
}

/**
 * The bytes the MAC covers: every field but the signature, in a fixed order (`unreadable` only
 * when there is one, so manifests from before it verify as they did).
 */
export function manifestSigningBytes(manifest: Omit<BackupManifest, 'signature'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      MANIFEST_FORMAT,
      manifest.version,
      manifest.createdAt,
      manifest.catalog,
      manifest.objects.map((o) => [o.path, o.size, o.sha256]),
      manifest.missing,
      ...(manifest.unreadable?.length ? [manifest.unreadable] : []),
    ]),
    'utf8',
  );
}

const mac = (manifest: Omit<BackupManifest, 'signature'>, key: ManifestKey) =>
  createHmac('sha256', key.key).update(manifestSigningBytes(manifest)).digest();

/** Signs a manifest with `key`. */
export function signManifest(
  manifest: Omit<BackupManifest, 'signature'>,
  key: ManifestKey,
): ManifestSignature {
  return { alg: MANIFEST_SIGNATURE_ALG, keyId: key.id, value: mac(manifest, key).toString('base64url') };
}

/**
 * Checks the signature of a parsed manifest against the installation's keys. Refuses with
 * `BACKUP_INVALID` and `details.reason`: `signature_mismatch` (altered after it was signed),
 * `signature_key_unknown` (signed by a key this installation lacks: another installation's, or
 * a key since removed) and `unsigned` (no signature) — the last two only without
 * `allowUnverified`.
 */
export function checkManifestSignature(
  manifest: BackupManifest,
  keys: ManifestKeys,
  options: SignatureCheckOptions = {},
): SignatureCheck {
  const signature = manifest.signature;
  if (!signature) {
    if (options.allowUnverified) return { verified: false, reason: 'unsigned' };
    throw backupInvalid(
      'unsigned',
      'The archive manifest is not signed (a backup made before FileForge signed its manifests, or one whose signature was removed). If you are sure where the archive comes from, restore it with --allow-unverified',
    );
  }
  const key = keys.accepted.find((k) => k.id === signature.keyId);
  if (!key) {
    if (options.allowUnverified)
      return { verified: false, reason: 'signature_key_unknown', keyId: signature.keyId };
    const known =
      keys.accepted.map((k) => k.id).join(', ') || 'none: neither SECRET_KEY nor ENCRYPTION_KEY is set';
    throw backupInvalid(
      'signature_key_unknown',
      `The archive manifest is signed with key ${signature.keyId}, which this installation does not have (it has ${known}). Set SECRET_KEY, or ENCRYPTION_KEY / ENCRYPTION_KEYS_OLD, as they were on the installation that made the backup; if you are sure where the archive comes from, restore it with --allow-unverified`,
    );
  }
  const given = Buffer.from(signature.value, 'base64url');
  const expected = mac(manifest, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw backupInvalid(
      'signature_mismatch',
      `The archive manifest does not match its signature (key ${key.id}): it was altered after the backup was made`,
    );
  }
  return { verified: true, keyId: key.id };
}
