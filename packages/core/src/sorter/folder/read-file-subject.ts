import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { basename } from 'node:path';
import { DETECTION_HEAD_BYTES, detectType, TEXT_MIME_TYPES } from '../../ingest/detect.js';
import { sniffTextEncoding } from '../../ingest/text-sniff.js';
import { fittingNameExt, type SortSubject } from '../subject.js';

/** What the folder sorter knows about one file on disk. */
export interface FolderFile {
  /** Path relative to the sorted folder, `/`-separated (also the subject's `id`). */
  path: string;
  size: number;
  /** Modification time in whole milliseconds (what the journal records and undo compares). */
  mtimeMs: number;
  subject: SortSubject;
  /** Problems reading the file that did not stop the sort (a text extractor that failed). */
  warnings?: string[];
}

/** The file a {@link TextExtractor} is asked about. */
export interface TextExtractorFile {
  /** Absolute path. */
  path: string;
  /** Detected MIME type. */
  mime: string;
  size: number;
}

/**
 * Extracts the text of a file that is not plain text (PDF, Office…), for text rules; `''`
 * when it has none. Throwing (or rejecting) leaves the file's text `''` with a warning.
 */
export type TextExtractor = (file: TextExtractorFile, signal?: AbortSignal) => Promise<string>;

/** Options for {@link readFileSubject}. */
export interface ReadFileSubjectOptions {
  /**
   * Compute the SHA-256 of the whole file (streamed). Only rules on `sha256` and the
   * `deduplicate` conflict mode need it; without it `subject.sha256` is `''`.
   * @default false
   */
  hash?: boolean;
  /**
   * Most bytes of a text file read for text rules; longer files are matched on their start.
   * @default 1 MiB
   */
  textCapBytes?: number;
  /**
   * Extracts the text of files that are not plain text (PDFs, Office documents), which the
   * sorter cannot read itself. Pass one only when a rule needs text (see `rulesNeedText`):
   * it is called for every such file. Without it their `subject.text` is `''`.
   */
  extractText?: TextExtractor;
  signal?: AbortSignal;
}

const TEXT_DECODERS: Record<string, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/** Decodes the start of a text file; encodings other than UTF-8/16 are read as Latin-1. */
function decodeText(bytes: Buffer): string {
  const encoding = sniffTextEncoding(bytes.subarray(0, DETECTION_HEAD_BYTES));
  const label = encoding ? TEXT_DECODERS[encoding] : undefined;
  if (!label) return bytes.toString('latin1');
  // A cap can cut a multi-byte character: the decoder replaces the broken tail, never throws.
  return new TextDecoder(label).decode(bytes);
}

const isText = (mime: string) => mime.startsWith('text/') || TEXT_MIME_TYPES.includes(mime);

async function readUpTo(handle: FileHandle, bytes: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(bytes);
  let filled = 0;
  while (filled < bytes) {
    const { bytesRead } = await handle.read(buffer, filled, bytes - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** SHA-256 of a whole file, streamed (never held in memory). */
export function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, signal ? { signal } : {});
    stream.on('error', reject);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

/** Runs `extract`; a failure other than the caller's abort becomes `''` and a warning. */
async function extractedOrWarning(
  extract: TextExtractor,
  file: TextExtractorFile,
  signal: AbortSignal | undefined,
): Promise<{ text: string; warning?: string }> {
  try {
    const text = await extract(file, signal);
    return { text: typeof text === 'string' ? text : '' };
  } catch (error) {
    signal?.throwIfAborted();
    const message = error instanceof Error ? error.message : String(error);
    return { text: '', warning: `no text extracted (${message}); text rules see ''` };
  }
}

/**
 * Builds the {@link SortSubject} rules see for a file on disk: its type detected from its
 * first 64 KiB (never its name), its size, its modification time as `createdAt`, the first
 * `textCapBytes` of a text file as `text` (other types: what `extractText` returns, else
 * `''`), and its SHA-256 only when `hash` is set.
 *
 * @param absolute the file's absolute path
 * @param relative its path relative to the sorted folder (`/`-separated)
 */
export async function readFileSubject(
  absolute: string,
  relative: string,
  options: ReadFileSubjectOptions = {},
): Promise<FolderFile> {
  const textCap = options.textCapBytes ?? 1024 * 1024;
  const handle = await open(absolute, 'r');
  let head: Buffer;
  let size: number;
  let mtimeMs: number;
  let text = '';
  let mime: string;
  let ext: string;
  let nameExt: string | undefined;
  const name = basename(absolute);
  try {
    const stats = await handle.stat();
    size = stats.size;
    mtimeMs = Math.trunc(stats.mtimeMs);
    head = await readUpTo(handle, Math.min(size, DETECTION_HEAD_BYTES));
    const detection = await detectType(head, name);
    mime = detection.mime;
    ext = detection.ext === 'empty' || detection.ext === 'bin' ? (detection.nameExt ?? '') : detection.ext;
    nameExt = fittingNameExt(name, detection);
    if (isText(mime)) {
      const bytes =
        size > head.length && textCap > head.length
          ? await readUpTo(handle, Math.min(size, textCap))
          : head.subarray(0, textCap);
      text = decodeText(bytes);
    }
  } finally {
    await handle.close();
  }
  let warning: string | undefined;
  if (options.extractText && !isText(mime) && size > 0) {
    ({ text, warning } = await extractedOrWarning(
      options.extractText,
      { path: absolute, mime, size },
      options.signal,
    ));
  }
  const sha256 = options.hash ? await hashFile(absolute, options.signal) : '';
  return {
    path: relative,
    size,
    mtimeMs,
    subject: {
      id: relative,
      name,
      ext,
      ...(nameExt ? { nameExt } : {}),
      mime,
      size,
      sha256,
      createdAt: new Date(mtimeMs).toISOString(),
      uploadedBy: null,
      source: 'folder',
      text,
      metadata: { folder: { path: relative } },
      category: null,
    },
    ...(warning ? { warnings: [warning] } : {}),
  };
}
