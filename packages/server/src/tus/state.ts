/**
 * What a resumable upload keeps on disk besides its bytes: the tus `Upload` (id, length,
 * metadata, creation date) and FileForge's own facts (tenant, owner, the file id it will
 * become, whether it is complete), in one `<id>.json` beside the staged `<id>` file. Written
 * atomically (temp file + rename), so a crash leaves the old state or the new, never half.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Who an upload belongs to. */
export interface UploadOwner {
  tenant: string;
  ownerId: string | null;
  apiKeyId: string | null;
}

/** FileForge's state of one upload. */
export interface UploadFacts extends UploadOwner {
  /** The id of the file record the upload becomes (chosen at creation, so completion is idempotent). */
  fileId: string;
  /** True once the record exists; the staged bytes are then gone (they are the blob). */
  completed: boolean;
}

/** The JSON kept per upload. */
export interface StoredUpload {
  id: string;
  size?: number;
  offset: number;
  metadata?: Record<string, string | null>;
  creation_date?: string;
  fileforge?: UploadFacts;
}

/** Upload ids are 32 lower-case hex characters; anything else is no upload. */
export const UPLOAD_ID = /^[0-9a-f]{32}$/;

/** The tus `KvStore` over one directory, with atomic writes. */
export class UploadStateStore {
  constructor(readonly directory: string) {}

  #path(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new Error(`invalid upload id ${JSON.stringify(id)}`);
    return join(this.directory, `${id}.json`);
  }

  async get(id: string): Promise<StoredUpload | undefined> {
    if (!UPLOAD_ID.test(id)) return undefined;
    try {
      return JSON.parse(await readFile(this.#path(id), 'utf8')) as StoredUpload;
    } catch {
      return undefined;
    }
  }

  async set(id: string, value: StoredUpload): Promise<void> {
    const temp = join(this.directory, `.${id}.${randomUUID()}.tmp`);
    try {
      await writeFile(temp, JSON.stringify(value), { mode: 0o600, flush: true });
      await rename(temp, this.#path(id));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.#path(id), { force: true });
  }

  /** Every upload id with a state file. */
  async list(): Promise<string[]> {
    const names = await readdir(this.directory);
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -5))
      .filter((id) => UPLOAD_ID.test(id));
  }
}
