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

/**
 * The density (DPI, 72 = the SVG's own pixel size) at which an SVG of `header`'s size
 * renders with its long edge at `longEdge` pixels, lowered if needed so that the rendering
 * stays within `maxPixels`.
 */
export function svgDensity(header: Pick<Metadata, 'width' | 'height'>, longEdge: number, maxPixels: number) {
  const scale = Math.min(
    longEdge / Math.max(header.width, header.height),
    Math.sqrt(maxPixels / (header.width * header.height)),
  );
  return Math.min(100_000, Math.max(1, 72 * scale));
}
