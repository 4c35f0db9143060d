import { resolve } from 'node:path';
import type { DerivativeOutput, ProcessorFile } from '@fileforge/core';
import { ImageReader } from '../image/reader.js';
import { runTool } from '../process/run-tool.js';
import { toolFailureOf } from '../process/tool-errors.js';

/** Settings of the first-page preview. */
export interface PdfPreviewSettings {
  /** The pdftoppm executable. */
  command: string;
  /** Long edge of the preview in pixels. */
  size: number;
  timeoutMs: number;
  /** The derivative's name. */
  name: string;
  /** Parent of pdftoppm's private `TMPDIR`/`HOME`. @default os.tmpdir() */
  tempDir?: string | undefined;
}

/** The derivative's default name. */
export const PREVIEW_NAME = 'preview-1.png';

/** Rendered output above this is not a 1024-px PNG; the tool is killed. */
const MAX_RENDER_BYTES = 64 * 1024 * 1024;

/** What a preview run produced: what to record as `metadata.pdf.preview`, and the image. */
export interface PdfPreview {
  /** The derivative's name, or `unavailable: <why>`. */
  preview: string;
  derivative?: DerivativeOutput;
}

/** Why pdftoppm gave no picture, in the words recorded as `preview`; other errors are thrown. */
function unavailable(error: unknown, settings: PdfPreviewSettings): string {
  switch (toolFailureOf(error)) {
    case 'missing':
      return 'unavailable: pdftoppm not installed';
    case 'timeout':
      return `unavailable: rendering took longer than ${settings.timeoutMs} ms`;
    case 'output_limit':
      return 'unavailable: rendered page too large';
    case 'exit':
      return `unavailable: pdftoppm failed (exit ${String((error as { details?: { exitCode?: unknown } }).details?.exitCode)})`;
    default:
      throw error;
  }
}

/**
 * Renders page 1 with poppler's `pdftoppm` through the shared tool runner (fixed argv, no
 * shell, a reduced environment with a private `TMPDIR`/`HOME`, the file by absolute path or on
 * stdin, a kill timer on its process group, capped output), then decodes and re-encodes the
 * PNG with FileForge's sharp (its loader allow-list, `failOn: 'warning'` and a pixel cap just
 * above the requested size), so only pixels sharp produced are stored and their size is known.
 * Returns `unavailable: <why>` when pdftoppm or sharp is missing or the page cannot be rendered
 * (the file is still processed: pdf.js already read it). An abort rejects.
 */
export async function renderPreview(
  file: ProcessorFile,
  signal: AbortSignal,
  settings: PdfPreviewSettings,
): Promise<PdfPreview> {
  // pdftoppm seeks (a PDF's cross-reference table is at its end): an encrypting store gives it
  // a private decrypted temp file rather than a pipe.
  if (file.path === undefined && file.withLocalFile) {
    return file.withLocalFile(
      (path) => renderPreview({ ...file, path, withLocalFile: undefined }, signal, settings),
      {
        signal,
      },
    );
  }
  const input = file.path ? resolve(file.path) : '-';
  const args = ['-f', '1', '-l', '1', '-png', '-singlefile', '-scale-to', String(settings.size), input];
  // No output root: pdftoppm writes to stdout then (poppler 22 treats "-" there as a file name).
  let rendered: Buffer;
  try {
    ({ stdout: rendered } = await runTool('pdftoppm', args, {
      command: settings.command,
      timeoutMs: settings.timeoutMs,
      maxStdoutBytes: MAX_RENDER_BYTES,
      signal,
      stdin: file.path ? undefined : await file.open(),
      privateTempDir: settings.tempDir ?? true,
    }));
  } catch (error) {
    return { preview: unavailable(error, settings) };
  }
  if (rendered.length === 0) return { preview: 'unavailable: pdftoppm failed (exit 0)' };

  let reader: ImageReader;
  try {
    const limit = (settings.size + 1) * (settings.size + 1);
    reader = await ImageReader.create({
      maxPixels: limit,
      maxDimension: settings.size + 1,
      maxInputBytes: MAX_RENDER_BYTES,
      maxSvgBytes: 1,
    });
  } catch {
    return { preview: 'unavailable: sharp is not installed (npm i sharp)' };
  }
  let png: { data: Buffer; info: { width: number; height: number } };
  try {
    png = await reader.run(() => reader.open(rendered).png().toBuffer({ resolveWithObject: true }));
  } catch {
    return { preview: 'unavailable: pdftoppm produced an unreadable image' };
  }
  const { width, height } = png.info;
  return {
    preview: settings.name,
    derivative: { name: settings.name, kind: 'preview', mime: 'image/png', width, height, content: png.data },
  };
}
