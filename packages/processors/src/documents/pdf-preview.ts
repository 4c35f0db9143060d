import { resolve } from 'node:path';
import type { ProcessorContext, ProcessorFile } from '@fileforge/core';
import { spawnCapped } from './spawn-capped.js';

/** Settings of the first-page preview. */
export interface PdfPreviewSettings {
  /** The pdftoppm executable. */
  command: string;
  /** Long edge of the preview in pixels. */
  size: number;
  timeoutMs: number;
}

/** The derivative's name. */
export const PREVIEW_NAME = 'preview-1.png';

/** Rendered output above this is not a 1024-px PNG; the tool is killed. */
const MAX_RENDER_BYTES = 64 * 1024 * 1024;

type SharpModule = typeof import('sharp');

async function loadSharp(): Promise<SharpModule['default'] | null> {
  try {
    return (await import('sharp')).default;
  } catch {
    return null;
  }
}

/**
 * Renders page 1 with poppler's `pdftoppm` (fixed argv, no shell, the file by absolute path or
 * on stdin, a kill timer on its process group, capped output), then decodes and re-encodes the
 * PNG with sharp so only pixels sharp produced are stored and their size is known. Returns what
 * to record as `metadata.pdf.preview`: the derivative's name, or `unavailable: <why>` when
 * pdftoppm or sharp is missing or the page cannot be rendered (the file is still processed:
 * pdf.js already read it).
 */
export async function renderPreview(
  file: ProcessorFile,
  context: ProcessorContext,
  settings: PdfPreviewSettings,
): Promise<string> {
  const input = file.path ? resolve(file.path) : '-';
  const args = ['-f', '1', '-l', '1', '-png', '-singlefile', '-scale-to', String(settings.size), input];
  // No output root: pdftoppm writes to stdout then (poppler 22 treats "-" there as a file name).
  let run: Awaited<ReturnType<typeof spawnCapped>>;
  try {
    run = await spawnCapped(settings.command, args, {
      ...(file.path ? {} : { stdin: await file.open() }),
      timeoutMs: settings.timeoutMs,
      maxStdoutBytes: MAX_RENDER_BYTES,
      signal: context.signal,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'unavailable: pdftoppm not installed';
    throw error;
  }
  if (run.timedOut) return `unavailable: rendering took longer than ${settings.timeoutMs} ms`;
  if (run.overflowed) return 'unavailable: rendered page too large';
  if (run.code !== 0 || run.stdout.length === 0) return `unavailable: pdftoppm failed (exit ${run.code})`;

  const sharp = await loadSharp();
  if (!sharp) return 'unavailable: sharp is not installed (npm i sharp)';
  let png: { data: Buffer; info: { width: number; height: number } };
  try {
    png = await sharp(run.stdout, {
      failOn: 'warning',
      limitInputPixels: (settings.size + 1) * (settings.size + 1),
    })
      .png()
      .toBuffer({ resolveWithObject: true });
  } catch {
    return 'unavailable: pdftoppm produced an unreadable image';
  }
  await context.addDerivative({
    name: PREVIEW_NAME,
    kind: 'preview',
    mime: 'image/png',
    width: png.info.width,
    height: png.info.height,
    content: png.data,
  });
  return PREVIEW_NAME;
}
