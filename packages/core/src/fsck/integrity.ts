import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FileForgeError } from '../errors/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FsckProblem } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: fsck reads core tables through the catalog's untyped handle
type Db = Kysely<any>;

/** What reading a blob back found. */
type Verdict = { ok: true } | { ok: false; missing: boolean; detail: string };

/**
 * Reads each blob back through the store (so an encrypting store checks its own integrity
 * too) and compares its SHA-256 with the record's. Blobs shared by duplicates are read once.
 */
function createVerifier(blobs: BlobStore, signal?: AbortSignal) {
  const seen = new Map<string, Promise<string | Verdict>>();
  const hashOf = (key: string) => {
    let pending = seen.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const hash = createHash('sha256');
          for await (const chunk of await blobs.get(key, signal ? { signal } : {}))
            hash.update(chunk as Buffer);
          return hash.digest('hex');
        } catch (error) {
          const code = FileForgeError.is(error) ? error.code : (error as NodeJS.ErrnoException)?.code;
          return {
            ok: false,
            missing: code === 'NOT_FOUND' || code === 'ENOENT',
            detail: String(code ?? error),
          };
        }
      })();
      seen.set(key, pending);
    }
    return pending;
  };
  return async (key: string, sha256: string): Promise<Verdict> => {
    const found = await hashOf(key);
    if (typeof found !== 'string') return found;
    return found === sha256 ? { ok: true } : { ok: false, missing: false, detail: `sha256 ${found}` };
  };
}

/** File rows fsck needs. */
export interface FileRow {
  id: string;
  tenant: string;
  blob_key: string;
  sha256: string;
  path: string | null;
  damaged_at: string | null;
}

/** Checks every file and derivative record against its blob; returns the problems and counts. */
export async function checkRecords(db: Db, blobs: BlobStore, signal?: AbortSignal) {
  const verify = createVerifier(blobs, signal);
  const problems: FsckProblem[] = [];
  const files = (await db
    .selectFrom('files')
    .select(['id', 'tenant', 'blob_key', 'sha256', 'path', 'damaged_at'])
    .orderBy('id')
    .execute()) as FileRow[];
  const sound: FileRow[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    const verdict = await verify(file.blob_key, file.sha256);
    if (verdict.ok) {
      sound.push(file);
      continue;
    }
    problems.push({
      kind: verdict.missing ? 'blob-missing' : 'sha256-mismatch',
      key: file.blob_key,
      tenant: file.tenant,
      fileId: file.id,
      detail: file.damaged_at ? `${verdict.detail}; marked damaged at ${file.damaged_at}` : verdict.detail,
    });
  }
  const derivatives = (await db
    .selectFrom('derivatives as d')
    .leftJoin('files as f', 'f.id', 'd.file_id')
    .select(['d.file_id', 'd.name', 'd.blob_key', 'd.sha256', 'f.id as parent', 'f.tenant as tenant'])
    .orderBy('d.file_id')
    .execute()) as Array<{
    file_id: string;
    name: string;
    blob_key: string;
    sha256: string;
    parent: string | null;
    tenant: string | null;
  }>;
  for (const d of derivatives) {
    signal?.throwIfAborted();
    const where = {
      key: d.blob_key,
      fileId: d.file_id,
      name: d.name,
      ...(d.tenant ? { tenant: d.tenant } : {}),
    };
    if (d.parent === null) {
      problems.push({ kind: 'derivative-orphan', ...where });
      continue;
    }
    const verdict = await verify(d.blob_key, d.sha256);
    if (!verdict.ok) problems.push({ kind: 'derivative-damaged', ...where, detail: verdict.detail });
  }
  return { problems, files, sound, derivatives: derivatives.length };
}
