import type { Processor, ProcessorFile } from '@fileforge/core';
import { ANALYSIS_SIZE, analyse } from './analysis.js';
import { apngFrames } from './apng.js';
import { decodeOnce } from './decode-once.js';
import { ICON_TYPES, largestIcon } from './icons.js';
import { withIptc } from './iptc.js';
import { describeImage, type ImageMetadata, type UndecodedImageMetadata } from './metadata.js';
import { type ImageProcessorOptions, type ResolvedImageOptions, resolveImageOptions } from './options.js';
import { ImageReader } from './reader.js';
import { encode, fitInside } from './render.js';
import { type ImageSource, readFileHead, readFileLimited, readLimited } from './source.js';
import { checkSvg, svgCssSize, svgDensity, svgUnits } from './svg.js';

/** Detected types the processor runs on (by detected type only, never by file name). */
export const IMAGE_MIME_TYPES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/apng',
  'image/webp',
  'image/gif',
  'image/tiff',
  'image/avif',
  'image/svg+xml',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
  ...ICON_TYPES,
];
const UNDECODED = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence']);
const MIME = { webp: 'image/webp', jpeg: 'image/jpeg', png: 'image/png', avif: 'image/avif' } as const;

/** SVG is only ever parsed from memory (see svg.ts), and its size bounds the parse. */
async function readSvg(file: ProcessorFile, options: ResolvedImageOptions, signal: AbortSignal) {
  const data = file.path
    ? await readFileLimited(file.path, options.maxSvgBytes, signal)
    : await readLimited(await file.open(), options.maxSvgBytes, signal);
  checkSvg(data);
  return data;
}

/** Raster files are read by libvips from disk when the store has a path; else buffered (sharp would anyway). */
async function readRaster(file: ProcessorFile, options: ResolvedImageOptions, signal: AbortSignal) {
  return file.path ?? readLimited(await file.open(), options.maxInputBytes, signal);
}

/** The whole file in memory, bounded like any buffered image (icons are small). */
async function readWhole(file: ProcessorFile, options: ResolvedImageOptions, signal: AbortSignal) {
  return file.path
    ? readFileLimited(file.path, options.maxInputBytes, signal)
    : readLimited(await file.open(), options.maxInputBytes, signal);
}

/** What the header alone gets wrong: an APNG's frames, an SVG's CSS size. */
async function corrections(
  file: ProcessorFile,
  source: ImageSource,
  svg: Buffer | undefined,
  header: { width: number; height: number },
): Promise<Partial<ImageMetadata>> {
  if (svg) return svgCssSize(header, svgUnits(svg));
  if (file.record.mime !== 'image/apng') return {};
  const head = typeof source === 'string' ? await readFileHead(source) : source.subarray(0, 64 * 1024);
  const frames = apngFrames(head);
  return frames !== undefined && frames > 1 ? { animated: true, pages: frames } : {};
}

function support(options: ResolvedImageOptions): Processor['support'] {
  return {
    formats:
      'JPEG, PNG/APNG, WebP, GIF, TIFF, AVIF, SVG (rasterised), ICO and ICNS (largest picture); HEIC/HEIF recorded without decoding; BMP is not read',
    extracts: [
      'format, width and height as displayed (SVG in CSS pixels, physical units at 96 DPI), orientation, colour space, channels, alpha, density, pages/animation (GIF, WebP, APNG), icons (ICO/ICNS)',
      'EXIF: Make, Model, LensModel, DateTimeOriginal (+ takenAt ISO 8601), ExposureTime, FNumber, ISO, FocalLength, Orientation, GPS latitude/longitude (decimal degrees) and altitude',
      'dominant colour (#rrggbb)',
      'perceptual hash (64-bit dHash, 16 hex digits)',
    ],
    derivatives: [
      ...options.thumbnails.map((t) => `${t.name} (thumbnail, fits ${t.size}×${t.size}, first frame)`),
      `preview.png (SVG only, long edge ${options.svgPreviewSize} px)`,
    ],
    limits: [
      `${options.maxPixels} px pixel cap and ${options.maxDimension} px per side, read from the header before decoding → CONTENT_REJECTED image_too_many_pixels`,
      'decoder errors or warnings (truncated, malformed) → CONTENT_REJECTED image_corrupt',
      'SVG with a DTD internal subset or entity declarations → CONTENT_REJECTED svg_dtd; SVG not in an ASCII-compatible encoding → svg_encoding',
      `more than ${options.maxInputBytes} bytes to buffer when the store has no local path (SVG: ${options.maxSvgBytes}) → CONTENT_REJECTED input_too_large`,
      options.keepMetadata
        ? 'derivatives are re-encoded and keep the EXIF (incl. GPS), XMP and IPTC of the original'
        : 'derivatives are re-encoded with all metadata (EXIF, GPS, XMP, IPTC) stripped',
    ],
  };
}

/**
 * Creates the `image` processor (sharp/libvips, loaded on first use). For each image it
 * reads the header and refuses oversized ones before decoding anything, then records
 * format, size, EXIF (normalised), dominant colour and a perceptual hash, and attaches
 * thumbnails re-encoded from the decoded pixels, without metadata unless `keepMetadata`.
 * The image is decoded once per run, shrunk on load to the largest size any output needs;
 * every thumbnail, the dominant colour and the dHash come from those pixels.
 * SVG is checked, rasterised from memory to `preview.png` and thumbnailed from that; HEIC
 * is recorded without decoding. Refusals end the record `rejected` with `CONTENT_REJECTED`
 * and a `reason` (see `ImageRejectionReason`).
 *
 * @example
 * ```ts
 * const forge = await createForge({
 *   processors: [...defaultProcessors(), createImageProcessor({ thumbnails: [{ size: 512, format: 'jpeg' }] })],
 * });
 * // later: (await forge.files.get(id))?.metadata.image → { width: 640, height: 480, exif: { … }, phash: '…' }
 * //        await forge.files.derivatives(id) → [{ name: 'thumbnail-512.jpg', kind: 'thumbnail', … }]
 * ```
 */
export function createImageProcessor(options: ImageProcessorOptions = {}): Processor {
  const resolved = resolveImageOptions(options);
  return {
    name: 'image',
    mimeTypes: IMAGE_MIME_TYPES,
    support: support(resolved),
    async process(file, context) {
      const { record } = file;
      const { signal } = context;
      if (UNDECODED.has(record.mime)) {
        const format = record.mime.startsWith('image/heic') ? 'heic' : 'heif';
        const metadata: UndecodedImageMetadata = { format, extracted: false, reason: 'HEIC is not decoded' };
        return { metadata: { ...metadata } };
      }
      const svg = record.mime === 'image/svg+xml' ? await readSvg(file, resolved, signal) : undefined;
      const reader = await ImageReader.create(resolved);
      let source: ImageSource;
      let icon: Partial<ImageMetadata> = {};
      if (ICON_TYPES.includes(record.mime)) {
        const picture = await largestIcon(await readWhole(file, resolved, signal), record.mime, reader.sharp);
        const format = record.mime === 'image/icns' ? 'icns' : 'ico';
        if (!picture) {
          const reason = 'no PNG or bitmap picture in the icon file';
          return { metadata: { format, extracted: false, reason } satisfies UndecodedImageMetadata };
        }
        source = picture.png;
        icon = { format, icons: picture.icons };
      } else {
        source = svg ?? (await readRaster(file, resolved, signal));
      }
      signal.throwIfAborted();
      const header = await reader.header(source);
      signal.throwIfAborted();

      // One decode, at the largest size any output needs: the SVG preview, else the largest
      // thumbnail or the analysis copy. Everything below is made from these pixels.
      const longEdge = svg
        ? Math.min(resolved.svgPreviewSize, resolved.maxDimension)
        : Math.max(ANALYSIS_SIZE, ...resolved.thumbnails.map((t) => t.size));
      const decoded = await decodeOnce(reader, source, longEdge, {
        keepMetadata: resolved.keepMetadata && !svg,
        density: svg ? svgDensity(header, longEdge, resolved.maxPixels, svgUnits(svg)) : undefined,
      });
      signal.throwIfAborted();
      const metadata: ImageMetadata = {
        ...describeImage(header, await analyse(reader, decoded)),
        ...(await corrections(file, source, svg, header)),
        ...icon,
      };

      for (const spec of resolved.thumbnails) {
        signal.throwIfAborted();
        const thumbnail = await reader.run(() =>
          encode(fitInside(decoded.open(), spec.size), {
            format: spec.format,
            quality: spec.quality,
            keepMetadata: resolved.keepMetadata,
          }),
        );
        const iptc = resolved.keepMetadata && spec.format === 'jpeg' ? header.iptc : undefined;
        await context.addDerivative({
          name: spec.name,
          kind: 'thumbnail',
          mime: MIME[spec.format],
          width: thumbnail.info.width,
          height: thumbnail.info.height,
          content: iptc ? withIptc(thumbnail.data, iptc) : thumbnail.data,
        });
      }
      if (svg) {
        const preview = await reader.run(() =>
          encode(decoded.open(), { format: 'png', keepMetadata: false }),
        );
        await context.addDerivative({
          name: 'preview.png',
          kind: 'preview',
          mime: 'image/png',
          width: preview.info.width,
          height: preview.info.height,
          content: preview.data,
        });
      }
      return { metadata: { ...metadata } };
    },
    async warmUp() {
      // The same steps as a photo's processing, on a generated 64×48 JPEG: loads sharp and
      // libvips, starts their codecs and compiles this code, so the first upload is not the slow one.
      const reader = await ImageReader.create(resolved);
      const source = await reader.sharp({ create: WARM_UP_PICTURE }).jpeg().toBuffer();
      const header = await reader.header(source);
      const decoded = await decodeOnce(reader, source, ANALYSIS_SIZE, { keepMetadata: false });
      describeImage(header, await analyse(reader, decoded));
      for (const spec of resolved.thumbnails) {
        await reader.run(() =>
          encode(fitInside(decoded.open(), spec.size), {
            format: spec.format,
            quality: spec.quality,
            keepMetadata: false,
          }),
        );
      }
    },
  };
}

/** What {@link createImageProcessor}'s `warmUp` processes: a small grey picture. */
const WARM_UP_PICTURE = {
  width: 64,
  height: 48,
  channels: 3,
  background: { r: 128, g: 128, b: 128 },
} as const;
