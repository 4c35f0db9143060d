import { ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from 'zod';
import { defineOperation, derivativeName, type Operation } from '../operations/operation.js';
import { checkPath } from '../options/check.js';
import { PREVIEW_NAME, renderPreview } from './pdf-preview.js';

/** Where the document operations find their tools. */
export interface DocumentOperationsOptions {
  /** The pdftoppm executable (poppler-utils). @default 'pdftoppm' (looked up on `PATH`) */
  pdftoppmPath?: string;
}

/**
 * Largest preview edge an operation (or the PDF processor) may ask pdftoppm for: a render at
 * fixed max pixels (security spec F3). 4096² RGBA is 64 MiB decoded; 16384² was 1 GiB.
 */
export const MAX_PREVIEW_SIZE = 4096;

/** The options of `document.preview`. */
export const previewOptions = z.strictObject({
  /** Long edge of the preview in pixels. */
  size: z.int().min(16).max(MAX_PREVIEW_SIZE).default(1024),
  /** Budget of the pdftoppm run; past it the render is killed and the preview is unavailable. */
  timeoutMs: z
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .default(20_000),
  name: derivativeName.default(PREVIEW_NAME),
});

/**
 * The document operations: `document.preview` renders page 1 of a PDF with pdftoppm and
 * re-encodes it with sharp as a PNG derivative (kind `preview`, `preview-1.png` by default).
 * `metadata.preview` names the derivative, or says why there is none
 * (`unavailable: pdftoppm not installed`, a timeout, an unreadable page): a missing preview is
 * not a failure. A file that is not a PDF → `UNSUPPORTED_MEDIA_TYPE`.
 */
export function createDocumentOperations(options: DocumentOperationsOptions = {}): Operation[] {
  const command = checkPath('pdf', 'pdftoppmPath', options.pdftoppmPath ?? 'pdftoppm');
  return [
    defineOperation({
      name: 'document.preview',
      options: previewOptions,
      async run(file, { size, timeoutMs, name }, { signal, tempDir }) {
        if (file.record.mime !== 'application/pdf') {
          throw new FileForgeError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            `[fileforge:pdf] document.preview reads PDF files, not ${file.record.mime}`,
            { details: { detected: file.record.mime } },
          );
        }
        const settings = { command, size, timeoutMs, name, tempDir };
        const { preview, derivative } = await renderPreview(file, signal, settings);
        return { metadata: { preview }, derivatives: derivative ? [derivative] : [] };
      },
    }),
  ];
}
