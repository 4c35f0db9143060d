import { availableParallelism } from 'node:os';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { SharpConstructor } from 'sharp';

/**
 * The libvips loaders FileForge lets sharp use; every other loader is blocked, process-wide,
 * the first time sharp is loaded here. An allow-list rather than a deny-list: a loader added
 * by a future libvips (or a globally installed one with ImageMagick, PDFium, OpenSlide…)
 * stays unreachable from hostile uploads until someone decides it is needed.
 *
 * `VipsForeignLoadSvgFile` is blocked again after SVG is allowed: SVG is only ever parsed
 * from memory, where librsvg has no base URL to resolve relative references against
 * (CVE-2023-38633 affected path input only).
 */
export const ALLOWED_LOADERS: readonly string[] = [
  'VipsForeignLoadJpeg',
  'VipsForeignLoadPng',
  'VipsForeignLoadWebp',
  'VipsForeignLoadNsgif',
  'VipsForeignLoadTiff',
  'VipsForeignLoadHeif',
  'VipsForeignLoadSvg',
];
const REBLOCKED_LOADERS: readonly string[] = ['VipsForeignLoadSvgFile'];

let loading: Promise<SharpConstructor> | undefined;

function configure(sharp: SharpConstructor): SharpConstructor {
  // libvips' operation cache keeps decoded images of earlier, unrelated files in memory.
  sharp.cache(false);
  // Threads per image. sharp already picks 1 on glibc without jemalloc; elsewhere leave half
  // the cores to the event loop and to other processors (ffmpeg, pdf.js) running alongside.
  const half = Math.max(1, Math.floor(availableParallelism() / 2));
  sharp.concurrency(Math.min(sharp.concurrency(), half));
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({ operation: [...ALLOWED_LOADERS] });
  sharp.block({ operation: [...REBLOCKED_LOADERS] });
  return sharp;
}

async function importSharp(): Promise<SharpConstructor> {
  let sharp: SharpConstructor;
  try {
    ({ default: sharp } = await import('sharp'));
  } catch (error) {
    loading = undefined; // let a later call try again (e.g. after installing)
    throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:image] sharp is not installed: npm i sharp', {
      cause: error,
    });
  }
  return configure(sharp);
}

/**
 * Loads sharp on first use and configures it once (no libvips cache, bounded threads, only
 * the loaders in {@link ALLOWED_LOADERS}). Importing `@fileforge/processors/image` never
 * loads sharp; the first image processed or operation run does.
 *
 * The configuration is process-wide, as sharp's is: other code in the same process that
 * uses sharp gets the same loader allow-list.
 */
export function loadSharp(): Promise<SharpConstructor> {
  loading ??= importSharp();
  return loading;
}
