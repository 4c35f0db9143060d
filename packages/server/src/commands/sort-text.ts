import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname } from 'node:path';
import type { Readable } from 'node:stream';
import {
  DEFAULT_TENANT,
  extractedText,
  type FileRecord,
  type Processor,
  type ProcessorFile,
  processorAccepts,
  type TextExtractor,
  type TextExtractorFile,
  withTimeout,
} from '@fileforge/core';

/** Options for {@link createFolderTextExtractor}. */
export interface FolderTextExtractorOptions {
  /**
   * Budget of one file's extraction in ms; past it the file's text is `''` (with a warning)
   * and its pdf.js worker is terminated.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Files parsed at once (each PDF in a pdf.js worker with a heap of up to 256 MiB), whatever
   * the scan's own concurrency.
   * @default 4, or fewer CPUs
   */
  concurrency?: number;
}

/** A text extractor for `fileforge sort` and the way to stop what it started. */
export interface FolderTextExtractor {
  extractText: TextExtractor;
  /** Stops extractions still running (their pdf.js workers are terminated); later calls return `''`. */
  close(): void;
}

/** Opens `path` (a byte range, inclusive) once it is open; its `'error'` is handled from the start. */
function openLocal(path: string, range: { start?: number; end?: number } | undefined, signal: AbortSignal) {
  return new Promise<Readable>((resolve, reject) => {
    const stream = createReadStream(path, { ...range, signal });
    // Before 'open' an error rejects; later ones also reach the consumer's pipeline or iterator.
    stream.on('error', reject);
    stream.once('open', () => resolve(stream));
  });
}

/** The record a processor sees for a file on disk (no catalog: only type, name and size matter). */
function recordOf(file: TextExtractorFile): FileRecord {
  const now = new Date().toISOString();
  return {
    id: file.path,
    tenant: DEFAULT_TENANT,
    name: basename(file.path),
    size: file.size,
    sha256: '',
    mime: file.mime,
    ext: extname(file.path).slice(1).toLowerCase(),
    declaredMime: null,
    typeMismatch: false,
    status: 'processing',
    ownerId: null,
    apiKeyId: null,
    blobKey: file.path,
    duplicateOf: null,
    error: null,
    metadata: {},
    path: null,
    category: null,
    classification: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The text `fileforge sort` gives text rules for PDFs and Office documents: the `pdf`
 * processor (pdf.js in a sandboxed worker with its heap cap, stream cap and timeout; no
 * preview) and the `office` processor read the file where it lies, and the text is taken from
 * their metadata as the catalog sorter takes it (`extractedText`). Other types get `''`.
 * A processor that fails or runs out of time rejects, which the scan turns into `''` and a
 * warning. pdf.js is loaded on the first PDF; call `close()` when the command ends.
 */
export function createFolderTextExtractor(options: FolderTextExtractorOptions = {}): FolderTextExtractor {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const stop = new AbortController();
  let free = Math.max(1, options.concurrency ?? Math.min(4, availableParallelism()));
  const waiting: Array<() => void> = [];
  const limited = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
  let processors: Promise<Processor[]> | undefined;
  const load = () => {
    processors ??= import('@fileforge/processors/documents').then(
      ({ createOfficeProcessor, createPdfProcessor }) => [
        createPdfProcessor({ preview: false, timeoutMs: Math.max(1, timeoutMs - 1000), workerIdleMs: 1000 }),
        createOfficeProcessor(),
      ],
    );
    return processors;
  };
  const extractText: TextExtractor = async (file, signal) => {
    const record = recordOf(file);
    // Other types never load the processors (nor pdf.js).
    if (file.mime !== 'application/pdf' && !/^application\/vnd\.(openxmlformats|oasis)/.test(file.mime))
      return '';
    const processor = (await load()).find((p) => processorAccepts(p, record) && p.extractMetadata);
    if (!processor?.extractMetadata || stop.signal.aborted) return '';
    const extract = processor.extractMetadata.bind(processor);
    const outer = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    const metadata = await limited(() =>
      withTimeout(
        (inner) => {
          const processorFile: ProcessorFile = {
            record,
            path: file.path,
            open: (range) => openLocal(file.path, range, inner),
          };
          return extract(processorFile, {
            signal: inner,
            addDerivative: () =>
              Promise.reject(new Error('[fileforge:sort] No derivatives when sorting a folder')),
          });
        },
        timeoutMs,
        outer,
      ),
    );
    return extractedText({ [processor.name]: metadata });
  };
  return { extractText, close: () => stop.abort(new Error('[fileforge:sort] The command ended')) };
}
