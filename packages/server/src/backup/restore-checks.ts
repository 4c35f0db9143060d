/**
 * The checks a restore makes on what it staged before anything is swapped in: every entry
 * against the signed manifest, the catalog copy's integrity, and the catalog's blob
 * references against the archive (missing ones refused, damaged ones reported).
 *
 * @module
 */
import { checkCatalogSnapshot, type SnapshotBlob } from '@fileforge/core';
import {
  type BackupManifest,
  BLOB_PREFIX,
  backupInvalid,
  CATALOG_ENTRY,
  type ManifestObject,
} from './manifest.js';

/** Refuses staged entries that differ from the manifest (name, size, SHA-256) or that it lacks. */
export function verifyAgainstManifest(manifest: BackupManifest, staged: Map<string, ManifestObject>): void {
  const listed = new Map(manifest.objects.map((o) => [o.path, o]));
  for (const [path, got] of staged) {
    const want = listed.get(path);
    if (!want) throw backupInvalid('unexpected_entry', `Entry ${path} is not in the manifest`, path);
    if (got.size !== want.size)
      throw backupInvalid(
        'size_mismatch',
        `Entry ${path} has ${got.size} bytes, the manifest says ${want.size}`,
        path,
      );
    if (got.sha256 !== want.sha256)
      throw backupInvalid(
        'checksum_mismatch',
        `Entry ${path} does not match its SHA-256 in the manifest`,
        path,
      );
  }
  for (const path of listed.keys()) {
    if (!staged.has(path))
      throw backupInvalid('missing_object', `The manifest lists ${path}, the archive lacks it`, path);
  }
}

export function checkStagedCatalog(path: string): string {
  try {
    checkCatalogSnapshot(path);
  } catch (error) {
    throw backupInvalid('catalog_damaged', (error as Error).message, CATALOG_ENTRY);
  }
  return path;
}

/**
 * Refuses a catalog that references a blob the archive neither holds nor lists as missing (or
 * unreadable); answers the blobs whose staged bytes do not match the catalog's SHA-256.
 */
export async function checkReferences(
  blobs: Iterable<SnapshotBlob> | AsyncIterable<SnapshotBlob>,
  manifest: BackupManifest,
  staged: ReadonlyMap<string, ManifestObject>,
): Promise<string[]> {
  const present = new Set(manifest.objects.map((o) => o.path));
  const missing = new Set([...manifest.missing, ...(manifest.unreadable ?? [])]);
  const damaged: string[] = [];
  for await (const blob of blobs) {
    const path = `${BLOB_PREFIX}${blob.key}`;
    if (!present.has(path) && !missing.has(blob.key))
      throw backupInvalid(
        'missing_object',
        `The catalog references blob ${blob.key}, which the archive lacks`,
        blob.key,
      );
    const got = staged.get(path);
    if (got && !missing.has(blob.key) && got.sha256 !== blob.sha256) damaged.push(blob.key);
  }
  return damaged;
}
