/**
 * Admission of a new resumable upload: the one place every tus creation (`POST
 * /api/v1/uploads`) passes before anything is staged. It refuses what can be decided from the
 * request alone — the server draining, `Upload-Length` over `MAX_FILE_SIZE` (413
 * `FILE_TOO_LARGE`), a length the store cannot fit (507) — by throwing a `FileForgeError`,
 * which is answered in the standard error shape; then, with upload admission, the processing
 * queue over QUEUE_MAX_DEPTH (503 `BUSY`) and the tenant's quota: the whole `Upload-Length`
 * is reserved (413 `QUOTA_EXCEEDED`) until the upload completes, is terminated or expires.
 *
 * @module
 */
import { ErrorCode, FileForgeError, type Forge, toDisplayName } from '@fileforge/core';
import { TUS_HOLDER, type UploadAdmission } from '../admission/upload-admission.js';
import { refuseWithoutSpace } from '../upload/free-space.js';
import type { UploadOwner } from './state.js';

/** What admission sees of a new upload. */
export interface UploadAdmissionRequest extends UploadOwner {
  /** The declared `Upload-Length`. */
  length: number;
  /** The upload's tus id. */
  uploadId: string;
  /** Decoded `Upload-Metadata` (`filename`, `filetype`, …). */
  metadata: Record<string, string | null>;
}

/** Options for {@link admitUpload}. */
export interface UploadAdmissionOptions {
  maxFileSize: number;
  isDraining: () => boolean;
  /** Backpressure (503 `BUSY`) and the tenant's quota (413 `QUOTA_EXCEEDED`), shared with multipart uploads. */
  admission?: UploadAdmission;
  /** When the upload expires: its quota reservation lasts until then unless released. */
  expiresAt?: string;
}

/** The quota reservation of a resumable upload (released on completion, termination or expiry). */
export const reservationIdOf = (uploadId: string) => `tus:${uploadId}`;

/** Throws the refusal of a new upload, or resolves to admit it. */
export async function admitUpload(
  forge: Forge,
  request: UploadAdmissionRequest,
  options: UploadAdmissionOptions,
): Promise<void> {
  if (forge.closing || options.isDraining())
    throw new FileForgeError(ErrorCode.SHUTTING_DOWN, 'Shutting down');
  // The name is checked now, as the file will be named at completion: not after every byte came.
  toDisplayName(request.metadata.filename || 'upload');
  if (request.length > options.maxFileSize) {
    throw new FileForgeError(
      ErrorCode.FILE_TOO_LARGE,
      `File exceeds the limit of ${options.maxFileSize} bytes`,
      {
        details: { limit: options.maxFileSize },
      },
    );
  }
  const noSpace = await refuseWithoutSpace(forge, request.length);
  if (noSpace) throw noSpace;
  const admission = options.admission;
  if (admission) {
    await admission.checkQueue();
    await admission.reserve(
      request.tenant,
      { bytes: request.length, files: 1 },
      {
        id: reservationIdOf(request.uploadId),
        holder: TUS_HOLDER,
        expiresAt: options.expiresAt ?? new Date(admission.now() + 86_400_000).toISOString(),
      },
    );
  }
}
