import type { Metadata } from 'sharp';
import type { ImageAnalysis } from './analysis.js';
import { type ExifData, parseExif } from './exif.js';

/** What the image processor stores under `metadata.image` for an image it decoded. */
export interface ImageMetadata extends ImageAnalysis {
  extracted: true;
  /**
   * libvips' name for the format: `jpeg`, `png`, `webp`, `gif`, `tiff`, `heif` (AVIF), `svg`;
   * `ico` or `icns` for icon files (the rest describes their largest picture).
   */
  format: string;
  /**
   * Pixels as displayed, i.e. after applying the EXIF orientation (SVG: CSS pixels, physical
   * units at 96 DPI as browsers draw them).
   */
  width: number;
  /** Pixels as displayed, like `width`. */
  height: number;
  /** Icon files only: how many pictures (sizes) the file holds. */
  icons?: number;
  /** EXIF orientation (1–8) of the stored pixels, when the file has one. */
  orientation?: number;
  /** Colour space interpretation, e.g. `srgb`, `cmyk`, `b-w`. */
  space: string;
  /** Number of channels, alpha included. */
  channels: number;
  hasAlpha: boolean;
  /** Pixels per inch, when the file says. */
  density?: number;
  /** Frames or pages, when more than one (thumbnails show the first). */
  pages?: number;
  /** Whether the file is an animation (GIF, WebP, APNG) rather than a still or a multi-page scan. */
  animated: boolean;
  /** Normalised EXIF tags, when the file has any of those FileForge reads. */
  exif?: ExifData;
}

/**
 * What the image processor stores for HEIC/HEIF, which sharp's prebuilt libvips cannot
 * decode, and for icon files without a picture it can read.
 */
export interface UndecodedImageMetadata {
  format: 'heic' | 'heif' | 'ico' | 'icns';
  extracted: false;
  reason: string;
}

/** Builds {@link ImageMetadata} from the header, its EXIF block and the pixel analysis. */
export function describeImage(header: Metadata, analysis: ImageAnalysis): ImageMetadata {
  const swap = header.orientation !== undefined && header.orientation >= 5 && header.orientation <= 8;
  const exif = header.exif ? parseExif(header.exif) : {};
  const pages = header.pages ?? 1;
  return {
    extracted: true,
    format: header.format,
    width: swap ? header.height : header.width,
    height: swap ? header.width : header.height,
    ...(header.orientation === undefined ? {} : { orientation: header.orientation }),
    space: header.space,
    channels: header.channels,
    hasAlpha: header.hasAlpha,
    ...(header.density === undefined ? {} : { density: header.density }),
    ...(pages > 1 ? { pages } : {}),
    animated: pages > 1 && Array.isArray(header.delay),
    ...(Object.keys(exif).length > 0 ? { exif } : {}),
    ...analysis,
  };
}
