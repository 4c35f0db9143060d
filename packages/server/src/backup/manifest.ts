/**
 * The manifest of a backup archive: every object with its size and SHA-256, written as the
 * archive's last entry, so an archive cut short has none and is never taken for a backup.
 * Version 2 manifests are signed (`manifest-signature.ts`); version 1 (FileForge before
 * signing) are not, and a restore accepts them only when told to.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from 'zod';

/** Name of the manifest entry (always the last one). */
export const MANIFEST_ENTRY = 'manifest.json';
/** Name of the catalog copy inside an archive. */
export const CATALOG_ENTRY = 'catalog/fileforge.db';
/** The header of a PostgreSQL catalog dump (tables, columns, row counts) inside an archive. */
export const PG_HEADER_ENTRY = 'catalog/postgresql.json';
/** A PostgreSQL dump's rows are stored as `catalog/postgresql/<table>.jsonl`. */
export const PG_TABLE_PREFIX = 'catalog/postgresql/';
const PG_TABLE_ENTRY = /^catalog\/postgresql\/[a-z_][a-z0-9_]{0,62}\.jsonl$/;

/** The entry of table `table`'s rows in a PostgreSQL dump. */
export const pgTableEntry = (table: string) => `${PG_TABLE_PREFIX}${table}.jsonl`;

/** True for the entries of a PostgreSQL catalog dump. */
export const isPostgresCatalogEntry = (name: string) => name === PG_HEADER_ENTRY || PG_TABLE_ENTRY.test(name);

/** Catalog engines an archive's catalog may come from. */
export type ManifestCatalog = 'sqlite' | 'postgresql';

/** Blobs are stored as `blobs/<blob key>`. */
export const BLOB_PREFIX = 'blobs/';
/** The `format` field every FileForge backup manifest carries. */
export const MANIFEST_FORMAT = 'fileforge-backup';

/** One object of an archive. */
export interface ManifestObject {
  /** Entry name inside the archive (`catalog/fileforge.db`, `catalog/postgresql…`, or `blobs/<key>`). */
  path: string;
  size: number;
  /** Lower-case hex SHA-256 of the entry's bytes (plaintext for blobs). */
  sha256: string;
}

/** The signature of a version 2 manifest. */
export interface ManifestSignature {
  alg: 'HMAC-SHA256';
  /** Which installation key signed it: `encryption:<ENCRYPTION_KEY id>` or `secret-key:<fingerprint>`. */
  keyId: string;
  /** The MAC, base64url. */
  value: string;
}

/** What `manifest.json` holds. */
export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  /** 2: signed; 1: written before manifests were signed. */
  version: 1 | 2;
  createdAt: string;
  /**
   * Catalog engine of the copy: `sqlite` (the database file, `catalog/fileforge.db`) or
   * `postgresql` (a dump: `catalog/postgresql.json` and one `catalog/postgresql/<table>.jsonl`
   * per table).
   */
  catalog: ManifestCatalog;
  objects: ManifestObject[];
  /** Blob keys the catalog references that were missing from the store at backup time. */
  missing: string[];
  /**
   * Blob keys the store could not read at backup time (an encrypted blob failing its
   * authentication, a read error). Such a blob's entry, when it has one, holds zeros past the
   * failure and is never restored: the file stays without content, as a missing one.
   */
  unreadable?: string[];
  /**
   * Written on every version 2 manifest. Its absence (version 1, or stripped) is checked by the
   * restore, which refuses unsigned manifests unless told otherwise; the MAC covers `version`.
   */
  signature?: ManifestSignature;
}

const SAFE_KEY = /^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/;

/** True for the entry names a FileForge archive may contain (before any filesystem use). */
export function isKnownEntryName(name: string): boolean {
  if (name === CATALOG_ENTRY || name === MANIFEST_ENTRY || isPostgresCatalogEntry(name)) return true;
  if (!name.startsWith(BLOB_PREFIX)) return false;
  const key = name.slice(BLOB_PREFIX.length);
  return SAFE_KEY.test(key) && !key.split('/').some((s) => s === '.' || s === '..');
}

/** True for names that would escape the extraction root (absolute, `..`, drive letters, NUL). */
export function isUnsafeEntryName(name: string): boolean {
  return (
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[a-zA-Z]:/.test(name) ||
    name.split('/').some((segment) => segment === '..')
  );
}

const signatureSchema = z.object({
  alg: z.literal('HMAC-SHA256'),
  keyId: z.string().min(1).max(200),
  value: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
});

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  signature: signatureSchema.optional(),
  createdAt: z.string(),
  catalog: z.enum(['sqlite', 'postgresql']),
  objects: z.array(
    z.object({
      path: z.string().refine(isKnownEntryName),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  missing: z.array(z.string()),
  unreadable: z.array(z.string()).optional(),
});

/** Refusal of an archive, with the stable `details.reason` of `BACKUP_INVALID`. */
export function backupInvalid(reason: string, message: string, entry?: string): FileForgeError {
  return new FileForgeError(ErrorCode.BACKUP_INVALID, `[fileforge:restore] ${message}`, {
    details: { reason, ...(entry === undefined ? {} : { entry }) },
  });
}

/** Parses and validates a manifest; `BACKUP_INVALID` (`not_a_backup`) when it is not one. */
export function parseManifest(text: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw backupInvalid('not_a_backup', 'The archive manifest is not valid JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw backupInvalid(
      'not_a_backup',
      `The archive manifest is not a FileForge backup manifest (${parsed.error.issues[0]?.message})`,
    );
  }
  const seen = new Set<string>();
  for (const object of parsed.data.objects) {
    if (seen.has(object.path))
      throw backupInvalid('not_a_backup', `The manifest lists ${object.path} twice`, object.path);
    seen.add(object.path);
  }
  const sqlite = parsed.data.catalog === 'sqlite';
  if (!seen.has(sqlite ? CATALOG_ENTRY : PG_HEADER_ENTRY))
    throw backupInvalid('not_a_backup', 'The manifest lists no catalog');
  for (const path of seen) {
    if (sqlite ? isPostgresCatalogEntry(path) : path === CATALOG_ENTRY)
      throw backupInvalid(
        'not_a_backup',
        `The manifest of a ${parsed.data.catalog} catalog lists ${path}`,
        path,
      );
  }
  return parsed.data;
}
