/**
 * tus-js-client driven the way a Node user drives it, for the resumable-upload tests.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { Upload } from 'tus-js-client';

/** `size` random bytes and their SHA-256 (hex). */
export function randomContent(size: number): { bytes: Buffer; sha256: string } {
  const bytes = randomBytes(size).fill(0, 0, Math.min(size, 8)); // no magic number by chance (an MP3 frame sync…)
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Options for {@link tusUpload}. */
export interface TusUploadOptions {
  endpoint: string;
  headers: Record<string, string>;
  bytes: Buffer;
  chunkSize: number;
  filename: string;
  filetype?: string;
  /** Called after each chunk the server acknowledged. */
  onChunk?: (offset: number, upload: Upload) => void;
  /** Resume this upload URL instead of creating one. */
  uploadUrl?: string;
  retryDelays?: number[];
}

/** What {@link tusUpload} resolves with. */
export interface TusUploadResult {
  url: string;
  /** `FileForge-File-Id` of the answer that completed the upload. */
  fileId: string | null;
  /** Number of HEAD requests the client made (resumptions). */
  resumes: number;
}

/** Uploads `bytes` with tus-js-client; resolves when the client reports success. */
export function tusUpload(options: TusUploadOptions): { done: Promise<TusUploadResult>; upload: Upload } {
  let fileId: string | null = null;
  let resumes = 0;
  let resolveDone!: (value: TusUploadResult) => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<TusUploadResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const upload = new Upload(options.bytes, {
    endpoint: options.endpoint,
    headers: options.headers,
    chunkSize: options.chunkSize,
    metadata: { filename: options.filename, filetype: options.filetype ?? 'application/octet-stream' },
    retryDelays: options.retryDelays ?? [0, 200, 500, 1000, 2000, 3000, 5000],
    storeFingerprintForResuming: false,
    ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
    onBeforeRequest(req) {
      if (req.getMethod() === 'HEAD') resumes++;
    },
    onAfterResponse(_req, res) {
      const id = res.getHeader('FileForge-File-Id');
      if (id) fileId = id;
    },
    onChunkComplete(_size, accepted) {
      options.onChunk?.(accepted, upload);
    },
    onSuccess() {
      resolveDone({ url: upload.url ?? '', fileId, resumes });
    },
    onError(error) {
      rejectDone(error);
    },
  });
  upload.start();
  return { done, upload };
}
