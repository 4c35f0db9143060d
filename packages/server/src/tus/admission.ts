/**
 * Admission of a new resumable upload: the one place every tus creation (`POST
 * /api/v1/uploads`) passes before anything is staged. It refuses what can be decided from the
 * request alone — the server draining, `Upload-Length` over `MAX_FILE_SIZE` (413
 * `FILE_TOO_LARGE`), a length the store cannot fit (507) — by throwing a `FileForgeError`,
 * which is answered in the standard error shape. Quota reservations belong here too.
 *
 * @module
 */
import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
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
}

/** Throws the refusal of a new upload, or resolves to admit it. */
export async function admitUpload(
  forge: Forge,
  request: UploadAdmissionRequest,
  options: UploadAdmissionOptions,
): Promise<void> {
  if (forge.closing || options.isDraining())
    throw new FileForgeError(ErrorCode.SHUTTING_DOWN, 'Shutting down');
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
}
