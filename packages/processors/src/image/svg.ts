import type { Metadata } from 'sharp';
import { rejectImage } from './reject.js';

const ASCII_COMPATIBLE = /^(utf-?8|us-ascii|ascii|iso-8859-\d{1,2}|latin-?1|windows-125\d)$/i;

/**
 * Refuses SVG that librsvg should never see. An internal DTD subset or an entity
 * declaration (`<!DOCTYPE svg [<!ENTITY …>]>`) is how XXE and "billion laughs" documents
 * work, and no drawing needs one → `svg_dtd`. A plain `<!DOCTYPE svg PUBLIC … "…svg11.dtd">`
 * — common in exported files — is allowed: librsvg never loads external DTDs (tested).
 * Markup the check above cannot read (UTF-16/32, EBCDIC, an XML declaration naming another
 * encoding such as UTF-7) → `svg_encoding`.
 *
 * Scripts, event handlers, `<foreignObject>` and external references need no check here:
 * librsvg does not run scripts, and with in-memory input it has no base URL, so it loads no
 * file or network resource. Only the rasterisation is ever stored as a derivative.
 */
export function checkSvg(data: Buffer): void {
  const text = data.toString('latin1');
  const start = text.replace(/^\xef\xbb\xbf/, '').trimStart();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL byte means UTF-16/32 text
  if (!start.startsWith('<') || /\u0000/.test(text)) {
    throw rejectImage('svg_encoding', 'SVG must be UTF-8 (or another ASCII-compatible encoding)', {});
  }
  const declared = /^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/i.exec(start)?.[1];
  if (declared !== undefined && !ASCII_COMPATIBLE.test(declared)) {
    throw rejectImage('svg_encoding', `SVG declares an unsupported encoding "${declared.slice(0, 40)}"`, {
      encoding: declared.slice(0, 40),
    });
  }
  if (/<!ENTITY/i.test(text) || /<!DOCTYPE[^>[]*\[/i.test(text)) {
    throw rejectImage('svg_dtd', 'SVG declares a DTD internal subset or entities', {});
  }
}

/** Which sides of an SVG's root element are sized in physical units (`in`, `cm`, `mm`, `pt`, `pc`, `Q`). */
export interface SvgUnits {
  width: boolean;
  height: boolean;
}

/**
 * The density (DPI, 72 = the SVG's own pixel size) at which an SVG of `header`'s size (as
 * read at 72 DPI) renders with its long edge at most `longEdge` pixels and within
 * `maxPixels`. libvips scales pixel sizes by density/72 but hands librsvg the density too,
 * so a side in physical units grows with (density/72)²: a 1 in × 1 in drawing asked for at
 * 1024 px must be rendered near 270 DPI, not 1024. The largest density that fits is found
 * by bisection over both rules.
 */
export function svgDensity(
  header: Pick<Metadata, 'width' | 'height'>,
  longEdge: number,
  maxPixels: number,
  units: SvgUnits = { width: false, height: false },
) {
  const side = (size: number, physical: boolean, density: number) =>
    size * (physical ? (density / 72) ** 2 : density / 72);
  const fits = (density: number) => {
    const width = side(header.width, units.width, density);
    const height = side(header.height, units.height, density);
    return Math.max(width, height) <= longEdge && width * height <= maxPixels;
  };
  let low = 1;
  let high = 100_000;
  if (fits(high)) return high;
  if (!fits(low)) return low;
  for (let i = 0; i < 50; i++) {
    const mid = (low + high) / 2;
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** A length in a physical unit, which librsvg (at libvips' 72 DPI) and browsers (96 DPI) size differently. */
const PHYSICAL_LENGTH = /^\s*[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*(in|cm|mm|pt|pc|q)\s*$/i;

/**
 * The size of an SVG in CSS pixels, as a browser draws it. libvips reports an SVG whose root
 * `width`/`height` use physical units (`1in`, `210mm`, `72pt`) at 72 DPI; CSS fixes an inch
 * at 96 px, so those sides are scaled by 96/72. Pixel, unitless and missing sizes (from the
 * `viewBox`) are the same in both and kept.
 */
export function svgCssSize(header: Pick<Metadata, 'width' | 'height'>, units: SvgUnits) {
  const scale = (physical: boolean) => (physical ? 96 / 72 : 1);
  return {
    width: Math.round(header.width * scale(units.width)),
    height: Math.round(header.height * scale(units.height)),
  };
}

/** Which sides of the root `<svg>` element use physical units (see {@link SvgUnits}). */
export function svgUnits(data: Buffer): SvgUnits {
  const tag = /<svg\b[^>]*>/i.exec(data.toString('utf8', 0, Math.min(data.length, 64 * 1024)))?.[0] ?? '';
  const physical = (name: string) => {
    const value = new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];
    return value !== undefined && PHYSICAL_LENGTH.test(value);
  };
  return { width: physical('width'), height: physical('height') };
}
