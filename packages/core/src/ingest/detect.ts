import { fileTypeFromBuffer, supportedExtensions } from 'file-type';
import type { Detection } from '../model/index.js';
import { hasInvisibleCharacters } from './filename.js';

/** How many leading bytes detection looks at. Enough for file-type's container probes. */
export const DETECTION_HEAD_BYTES = 64 * 1024;

const EMPTY = { mime: 'application/x-empty', ext: 'empty' };
const TEXT = { mime: 'text/plain', ext: 'txt' };
const BINARY = { mime: 'application/octet-stream', ext: 'bin' };
const SVG = { mime: 'image/svg+xml', ext: 'svg' };

/**
 * SVG is text, so magic bytes cannot see it: a text head whose first element (after an XML
 * declaration, comments and a doctype) is `<svg` is SVG.
 */
function looksLikeSvg(head: Buffer): boolean {
  const text = head
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+svg[^>[]*(\[[\s\S]*?\])?\s*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(
    text,
  );
}

/** Extensions that are plain text underneath: a text file named so is not a mismatch. */
const TEXT_EXTS = new Set(
  'txt text log md markdown csv tsv json ndjson jsonl xml yaml yml toml ini cfg conf html htm css js mjs cjs ts tsx jsx svg sql sh py rb go rs java c h cpp hpp srt vtt rtf tex eml ics vcf env'.split(
    ' ',
  ),
);

/** Extensions that name the same type. */
const EXT_ALIASES: Record<string, string> = {
  jpeg: 'jpg',
  jpe: 'jpg',
  jfif: 'jpg',
  tiff: 'tif',
  htm: 'html',
  mpeg: 'mpg',
  m4v: 'mp4',
  oga: 'ogg',
  ogv: 'ogg',
  opus: 'ogg',
  yml: 'yaml',
  gzip: 'gz',
  tgz: 'gz',
  midi: 'mid',
};

/** Zip-based formats: a zip detected under these names is what the name says. */
const ZIP_CONTAINERS = new Set([
  'zip',
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'ods',
  'odp',
  'epub',
  'jar',
  'apk',
  'xpi',
  'kmz',
]);

const MIME_ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'application/x-zip-compressed': 'application/zip',
  'application/x-pdf': 'application/pdf',
  'audio/mp3': 'audio/mpeg',
  'text/xml': 'application/xml',
};

const canonicalExt = (ext: string) => EXT_ALIASES[ext] ?? ext;
const canonicalMime = (mime: string) => MIME_ALIASES[mime] ?? mime;

/** UTF-16 byte order marks; checked before magic bytes because `FF FE` also reads as an MPEG frame sync. */
function hasUtf16Bom(head: Uint8Array): boolean {
  return (
    head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
  );
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // Valid UTF-8, allowing a multi-byte sequence cut off at the end of the sample.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let trim = 0; trim < 4 && trim <= head.length; trim++) {
    try {
      decoder.decode(head.subarray(0, head.length - trim));
      return true;
    } catch {
      // try again without a possibly truncated trailing sequence
    }
  }
  return false;
}

/** file-type reports any `<?xml` document as XML; an SVG one is SVG. */
function refineXml(found: { mime: string; ext: string }, head: Uint8Array): { mime: string; ext: string } {
  return found.mime === 'application/xml' && looksLikeSvg(Buffer.from(head)) ? SVG : found;
}

function sniffText(head: Buffer): { mime: string; ext: string } {
  if (!looksLikeText(head)) return BINARY;
  return looksLikeSvg(head) ? SVG : TEXT;
}

/** Lower-case extension of a display name, without the dot; null when it has none. */
export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,16}$/.test(ext) ? ext : null;
}

function extensionFits(detectedExt: string, nameExt: string | null): boolean {
  if (nameExt === null || detectedExt === BINARY.ext) return true;
  if (detectedExt === EMPTY.ext) return true;
  if (detectedExt === TEXT.ext) return TEXT_EXTS.has(nameExt);
  if (detectedExt === 'zip' && ZIP_CONTAINERS.has(nameExt)) return true;
  return canonicalExt(detectedExt) === canonicalExt(nameExt);
}

/**
 * Outer extensions that honestly wrap another type (`logs.tar.gz`, `photo.jpg.zip`,
 * `notes.txt.bak`): a name ending in one of them is not a double extension.
 */
const WRAPPER_EXTS = new Set(
  'gz tgz bz2 xz zst lz lz4 lzma br z zip 7z rar tar age gpg pgp asc sig enc bak orig tmp part'.split(' '),
);

/**
 * True when a name shows a second, inner extension of a known type that the content is not
 * (`invoice.pdf.exe` holding a program): a reader sees `.pdf`, the file is something else.
 */
function misleadingInnerExtension(name: string, nameExt: string | null, detectedExt: string): boolean {
  if (nameExt === null || WRAPPER_EXTS.has(nameExt)) return false;
  const inner = extensionOf(name.slice(0, name.lastIndexOf('.')));
  if (inner === null || !(supportedExtensions.has(inner) || TEXT_EXTS.has(inner))) return false;
  if (detectedExt === TEXT.ext && TEXT_EXTS.has(inner)) return false;
  return canonicalExt(inner) !== canonicalExt(detectedExt);
}

function declaredFits(detectedMime: string, declared: string | null): boolean {
  if (!declared || declared === 'application/octet-stream') return true;
  if (detectedMime === TEXT.mime) {
    return (
      declared.startsWith('text/') ||
      /^application\/([a-z.+-]*\+)?(json|xml|javascript|csv|x-ndjson)$/.test(declared)
    );
  }
  if (detectedMime === EMPTY.mime) return true;
  return canonicalMime(declared) === canonicalMime(detectedMime);
}

/** Normalizes a Content-Type header value to `type/subtype`, or null. */
export function normalizeMime(value: string | null | undefined): string | null {
  const mime = value?.split(';')[0]?.trim().toLowerCase();
  return mime && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mime) ? mime : null;
}

/**
 * Detects a file's type from its leading bytes — never from its name or the client's
 * header — and flags where those disagree. Binary formats come from file-type's magic-byte
 * signatures; otherwise valid UTF-8 (or UTF-16 with a BOM) without NUL bytes is `text/plain`,
 * an empty file `application/x-empty`, and anything else `application/octet-stream`.
 * `name` is the display name; `rawName` (default `name`) is what the client sent, checked
 * for invisible characters.
 */
export async function detectType(
  head: Uint8Array,
  name: string,
  declaredType?: string | null,
  rawName: string = name,
): Promise<Detection> {
  const found =
    head.length === 0
      ? EMPTY
      : hasUtf16Bom(head)
        ? TEXT
        : refineXml((await fileTypeFromBuffer(head)) ?? sniffText(Buffer.from(head)), head);
  const nameExt = extensionOf(name);
  const declaredMime = normalizeMime(declaredType);
  return {
    mime: found.mime,
    ext: found.ext,
    nameExt,
    declaredMime,
    extensionMismatch: !extensionFits(found.ext, nameExt),
    declaredMismatch: !declaredFits(found.mime, declaredMime),
    misleadingName: misleadingInnerExtension(name, nameExt, found.ext),
    hiddenCharacters: hasInvisibleCharacters(rawName),
  };
}
