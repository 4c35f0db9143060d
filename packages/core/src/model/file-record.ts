import type { Classification } from './classification.js';

/** Where a file is in its life. `processed`, `failed` and `rejected` are final. */
export type FileStatus = 'pending' | 'processing' | 'processed' | 'failed' | 'rejected';

/** The statuses no job will move a record out of. */
export const FINAL_FILE_STATUSES: readonly FileStatus[] = ['processed', 'failed', 'rejected'];

/** What detection found, and whether the name or the client's header disagreed with it. */
export interface Detection {
  /** MIME type detected from the bytes (never from the name or the header). */
  mime: string;
  /** Canonical extension of the detected type, without a dot. */
  ext: string;
  /** Extension taken from the display name, lower-cased, without a dot; null when none. */
  nameExt: string | null;
  /** The client's declared Content-Type, if any. */
  declaredMime: string | null;
  /** The name's extension does not fit the detected type. */
  extensionMismatch: boolean;
  /** The declared type does not fit the detected type. */
  declaredMismatch: boolean;
  /**
   * The name shows an inner extension of another known type (`invoice.pdf.exe` that is a
   * program): what a reader sees is not what the file is.
   */
  misleadingName: boolean;
  /** The client's name held invisible characters (zero-width, bidi, controls), removed from the display name. */
  hiddenCharacters: boolean;
}

/** Why and when a record was marked damaged (see {@link FileRecord.damaged}). */
export interface FileDamage {
  at: string;
  reason: 'blob_missing' | 'sha256_mismatch' | (string & {});
}

/** A stored file as the catalog records it. */
export interface FileRecord {
  id: string;
  tenant: string;
  /** Display name as the client gave it (metadata only; never a path). */
  name: string;
  size: number;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
  /** Detected MIME type. */
  mime: string;
  /** Canonical extension of the detected type. */
  ext: string;
  declaredMime: string | null;
  /** True when the name (its extension, or a misleading inner one) or the declared type disagrees with the detected type. */
  typeMismatch: boolean;
  status: FileStatus;
  /** The user who uploaded it (editors may change only what they own); null for SDK ingests without one. */
  ownerId: string | null;
  /**
   * The API key the file was uploaded through, if any. A key is its own principal for
   * ownership: an editor-role key changes only what was created through it.
   */
  apiKeyId: string | null;
  /** Key of the content in the blob store (shared by duplicates when stored once). */
  blobKey: string;
  /** Id of an earlier record in the same tenant with identical content, if any. */
  duplicateOf: string | null;
  /** Why processing failed or rejected the file. */
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  /** Results of detection and of each processor, keyed by processor name. */
  metadata: Record<string, unknown>;
  /**
   * The file's place in the sorted tree (`invoices/2026/11/report.pdf`, posix, relative),
   * unique per tenant; `null` while it is not sorted. On the local engine it is also
   * materialised under `SORTED_FOLDER/<tenant>/<path>`.
   */
  path: string | null;
  /** The file's category (from its classification); `null` while it has none. */
  category: string | null;
  /** How the file was classified, with its explanation; `null` before the classify step ran. */
  classification: Classification | null;
  /**
   * Set when `fileforge fsck --repair` found the stored content missing (`blob_missing`) or
   * different from `sha256` (`sha256_mismatch`): the file is never served as good data
   * (`FILE_DAMAGED`). A flag beside `status`, which keeps describing processing. Absent or
   * `null` when sound.
   */
  damaged?: FileDamage | null;
  createdAt: string;
  updatedAt: string;
}

/** A named blob attached to a parent file (thumbnail, poster, preview, …). */
export interface DerivativeRecord {
  fileId: string;
  /** Unique within the parent, e.g. `thumbnail-256.webp`. */
  name: string;
  /** What it is: `thumbnail`, `poster`, `waveform`, `preview`, … */
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  blobKey: string;
  createdAt: string;
}

/** State of a queued job. `completed` and `failed` are final. */
export type JobStatus = 'pending' | 'running' | 'completed' | 'failed';

/** A job as persisted by the catalog. */
export interface JobRecord {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  /** Jobs with the same key merge while one is still pending (see `EnqueueOptions.key`). */
  key: string | null;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  /** Earliest time the job may run (ISO 8601). */
  runAt: string;
  lastError: string | null;
  /** The queue instance that holds the job while it runs; `null` when nobody does. */
  leaseOwner: string | null;
  /** When the holder's lease runs out unless renewed (ISO 8601); then any instance may run the job again. */
  leaseExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}
