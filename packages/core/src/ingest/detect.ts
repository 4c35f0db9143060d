import { fileTypeFromBuffer, supportedExtensions } from 'file-type';
import type { Detection } from '../model/index.js';
import { hasInvisibleCharacters } from './filename.js';
import { bomEncoding, sniffTextEncoding } from './text-sniff.js';

/** How many leading bytes detection looks at. Enough for file-type's container probes. */
export const DETECTION_HEAD_BYTES = 64 * 1024;

const EMPTY = { mime: 'application/x-empty', ext: 'empty' };
const TEXT = { mime: 'text/plain', ext: 'txt' };
const BINARY = { mime: 'application/octet-stream', ext: 'bin' };
const SVG = { mime: 'image/svg+xml', ext: 'svg' };

/**
 * Text formats known by their extension: magic bytes cannot tell a CSV from a note, so a file
 * whose bytes are text is recorded by the type its name's extension is registered for. The
 * name decides only between text types: bytes that are not text are never called CSV.
 */
const TEXT_TYPES: Readonly<Record<string, { mime: string; ext: string }>> = {
  csv: { mime: 'text/csv', ext: 'csv' },
  tsv: { mime: 'text/tab-separated-values', ext: 'tsv' },
  json: { mime: 'application/json', ext: 'json' },
  ndjson: { mime: 'application/x-ndjson', ext: 'ndjson' },
  jsonl: { mime: 'application/x-ndjson', ext: 'jsonl' },
  md: { mime: 'text/markdown', ext: 'md' },
  markdown: { mime: 'text/markdown', ext: 'md' },
  html: { mime: 'text/html', ext: 'html' },
  htm: { mime: 'text/html', ext: 'html' },
  xml: { mime: 'application/xml', ext: 'xml' },
  yaml: { mime: 'application/yaml', ext: 'yaml' },
  yml: { mime: 'application/yaml', ext: 'yaml' },
  ics: { mime: 'text/calendar', ext: 'ics' },
  vcf: { mime: 'text/vcard', ext: 'vcf' },
  css: { mime: 'text/css', ext: 'css' },
  js: { mime: 'text/javascript', ext: 'js' },
  mjs: { mime: 'text/javascript', ext: 'js' },
  vtt: { mime: 'text/vtt', ext: 'vtt' },
  srt: { mime: 'application/x-subrip', ext: 'srt' },
};

/** Every type detection gives to text: plain text and the {@link TEXT_TYPES}. */
export const TEXT_MIME_TYPES: readonly string[] = [
  TEXT.mime,
  ...new Set(Object.values(TEXT_TYPES).map((t) => t.mime)),
];
const SNIFFED_TEXT = new Set<{ mime: string; ext: string }>([TEXT, ...Object.values(TEXT_TYPES)]);

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
  markdown: 'md',
  mjs: 'js',
  mpeg: 'mpg',
  m4v: 'mp4',
  oga: 'ogg',
  ogv: 'ogg',
  opus: 'ogg',
  yml: 'yaml',
  gzip: 'gz',
  tgz: 'gz',
  midi: 'mid',
  // Portable Executable files: file-type reports every one of them as `exe`.
  dll: 'exe',
  sys: 'exe',
  scr: 'exe',
  cpl: 'exe',
  ocx: 'exe',
  efi: 'exe',
  drv: 'exe',
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
  // What browsers and mime.types files call a Windows program; file-type says x-msdownload.
  'application/x-msdos-program': 'application/x-msdownload',
  'application/x-ms-dos-executable': 'application/x-msdownload',
  'application/vnd.microsoft.portable-executable': 'application/x-msdownload',
  'application/x-dosexec': 'application/x-msdownload',
  'application/x-exe': 'application/x-msdownload',
  'application/exe': 'application/x-msdownload',
  'text/x-markdown': 'text/markdown',
  'application/x-yaml': 'application/yaml',
  'text/yaml': 'application/yaml',
  'text/x-csv': 'text/csv',
  'application/csv': 'text/csv',
};

const canonicalExt = (ext: string) => EXT_ALIASES[ext] ?? ext;
const canonicalMime = (mime: string) => MIME_ALIASES[mime] ?? mime;

/**
 * UTF-16 and UTF-32 byte order marks; checked before magic bytes because `FF FE` also reads
 * as an MPEG frame sync. (The UTF-8 BOM goes through file-type, which knows `<?xml` after it.)
 */
function hasUtf16Or32Bom(head: Uint8Array): boolean {
  const bom = bomEncoding(head);
  return bom !== null && bom !== 'utf-8-bom';
}

/**
 * Types file-type reports in a form FileForge does not store: upper case (`video/MP1S`,
 * which the `?mime=` filter cannot match and no processor takes) or with parameters
 * (`audio/ogg; codecs=opus`; the codec is the media processor's to record). Stored types
 * are lower-case `type/subtype` only.
 */
const FILE_TYPE_MIMES: Readonly<Record<string, string>> = {
  'video/mp1s': 'video/mpeg',
  'video/mp2p': 'video/mpeg',
};

function canonicalDetected(found: { mime: string; ext: string }): { mime: string; ext: string } {
  const bare = (found.mime.split(';')[0] ?? '').trim().toLowerCase();
  const mime = FILE_TYPE_MIMES[bare] ?? bare;
  return mime === found.mime ? found : { mime, ext: found.ext };
}

const ascii = (head: Uint8Array, start: number, end: number) =>
  Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1', start, end);

/**
 * file-type calls any IFF `FORM` AIFF; only `FORM….AIFF`/`AIFC` is (`FORM….8SVX` is Amiga
 * audio, which the media processor's second opinion recognises).
 */
function isAiff(head: Uint8Array): boolean {
  return ascii(head, 0, 4) !== 'FORM' || ['AIFF', 'AIFC'].includes(ascii(head, 8, 12));
}

/**
 * A TIFF header (`II*\0` or `MM\0*`). file-type follows the offset to the first directory to
 * tell TIFF from camera raw formats; libtiff and ffmpeg write that directory at the end, so in
 * most large TIFFs it lies past the head and file-type gives up. The header is trusted then,
 * and the image reader decides.
 */
function isTiffHeader(head: Uint8Array): boolean {
  const magic = ascii(head, 0, 4);
  return head.length >= 8 && (magic === 'II*\0' || magic === 'MM\0*');
}
const TIFF = { mime: 'image/tiff', ext: 'tif' };

/** Magic bytes through file-type, with the corrections above; `undefined` when it knows none. */
async function byMagic(head: Uint8Array): Promise<{ mime: string; ext: string } | undefined> {
  const found = await fileTypeFromBuffer(head);
  if (!found) return isTiffHeader(head) ? TIFF : undefined;
  if (found.mime === 'audio/aiff' && !isAiff(head)) return BINARY;
  return canonicalDetected(found);
}

/** file-type reports any `<?xml` document as XML; an SVG one is SVG. */
function refineXml(found: { mime: string; ext: string }, head: Uint8Array): { mime: string; ext: string } {
  return found.mime === 'application/xml' && looksLikeSvg(Buffer.from(head)) ? SVG : found;
}

/**
 * Text by its content (see `text-sniff.ts`): UTF-8, UTF-16/32 with or without a BOM, or a
 * legacy encoding (no NUL or control bytes). SVG only when it reads as UTF-8.
 */
function sniffText(head: Buffer): { mime: string; ext: string } {
  const encoding = sniffTextEncoding(head);
  if (encoding === null) return BINARY;
  return encoding === 'utf-8' && looksLikeSvg(head) ? SVG : TEXT;
}

/** Plain text named with a well-known text extension is recorded as that format. */
function byTextExtension(found: { mime: string; ext: string }, nameExt: string | null) {
  if (found !== TEXT || nameExt === null || !Object.hasOwn(TEXT_TYPES, nameExt)) return found;
  return TEXT_TYPES[nameExt] ?? found;
}

/** Lower-case extension of a display name, without the dot; null when it has none. */
export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,16}$/.test(ext) ? ext : null;
}

/** `textual`: the type comes from the bytes being text (not from magic bytes). */
function extensionFits(detectedExt: string, nameExt: string | null, textual: boolean): boolean {
  if (nameExt === null || detectedExt === BINARY.ext) return true;
  if (detectedExt === EMPTY.ext) return true;
  if (textual) return TEXT_EXTS.has(nameExt);
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
function misleadingInnerExtension(
  name: string,
  nameExt: string | null,
  detectedExt: string,
  textual: boolean,
): boolean {
  if (nameExt === null || WRAPPER_EXTS.has(nameExt)) return false;
  const inner = extensionOf(name.slice(0, name.lastIndexOf('.')));
  if (inner === null || !(supportedExtensions.has(inner) || TEXT_EXTS.has(inner))) return false;
  if (textual && TEXT_EXTS.has(inner)) return false;
  return canonicalExt(inner) !== canonicalExt(detectedExt);
}

function declaredFits(detectedMime: string, declared: string | null, textual: boolean): boolean {
  if (!declared || declared === 'application/octet-stream') return true;
  if (textual) {
    return (
      declared.startsWith('text/') ||
      /^application\/([a-z.+-]*\+)?(json|xml|javascript|csv|x-ndjson|ndjson|yaml|x-yaml|x-subrip)$/.test(
        declared,
      )
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
 * signatures (stored lower-case without parameters: MPEG program streams as `video/mpeg`,
 * Opus as `audio/ogg`; a TIFF header is trusted when its directory lies past the head);
 * otherwise content that reads as text (UTF-8, UTF-16/32 with or without a BOM, or a legacy
 * encoding such as Windows-1251 or GBK: see `text-sniff.ts`) is text —
 * `text/plain`, or the registered type of a well-known text extension (`.csv` → `text/csv`,
 * `.json` → `application/json`, `.md` → `text/markdown`; see `TEXT_MIME_TYPES`) — an empty file
 * `application/x-empty`, and anything else `application/octet-stream`.
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
      : hasUtf16Or32Bom(head)
        ? TEXT
        : refineXml((await byMagic(head)) ?? sniffText(Buffer.from(head)), head);
  const nameExt = extensionOf(name);
  const recorded = byTextExtension(found, nameExt);
  const textual = SNIFFED_TEXT.has(recorded);
  const declaredMime = normalizeMime(declaredType);
  return {
    mime: recorded.mime,
    ext: recorded.ext,
    nameExt,
    declaredMime,
    extensionMismatch: !extensionFits(recorded.ext, nameExt, textual),
    declaredMismatch: !declaredFits(recorded.mime, declaredMime, textual),
    misleadingName: misleadingInnerExtension(name, nameExt, recorded.ext, textual),
    hiddenCharacters: hasInvisibleCharacters(rawName),
  };
}
