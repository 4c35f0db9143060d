/** What every PDF worker is given (structured-cloned into the worker): the processor's settings. */
export interface PdfWorkerData {
  /** Absolute `file:` URLs of pdf.js's legacy build and its worker module. */
  pdfUrl: string;
  workerUrl: string;
  /** Local directories (with a trailing slash) of pdf.js's CMaps and standard fonts. */
  cMapDir: string;
  standardFontDir: string;
  maxPages: number;
  maxTextChars: number;
  /** Longest Info string kept. */
  maxInfoChars: number;
  /** Largest byte buffer pdf.js may allocate (a decoded stream); past it the PDF is refused. */
  maxStreamBytes: number;
}

/** One document for the worker: read from disk, or `bytes` when the store has no local path. */
export interface PdfWorkerJob {
  path?: string;
  bytes?: ArrayBuffer;
}

/** What the PDF worker posts back. */
export type PdfWorkerResult =
  | {
      kind: 'ok';
      pageCount: number;
      pagesRead: number;
      info: Record<string, string | null>;
      pdfVersion: string | null;
      encrypted: boolean;
      text: string;
      textTruncated: boolean;
    }
  | { kind: 'password' }
  | { kind: 'limit' }
  | { kind: 'invalid'; message: string; page?: number }
  | { kind: 'error'; message: string };

/**
 * The worker's script, run with `new Worker(source, { eval: true })`. It is a string so the same
 * code runs from the TypeScript sources (vitest) and from the bundled `dist` without a second
 * entry file. It loads pdf.js from the URLs it is given (resolved by the parent), sets pdf.js's
 * own worker to run in-thread (no nested worker, nothing fetched), and only ever reads local
 * files: the PDF and pdf.js's bundled CMaps and standard fonts. Errors while setting up are
 * `error` (a broken install); anything pdf.js throws about the document is `invalid`.
 *
 * Decoded streams live in ArrayBuffers, which `resourceLimits` does not count: a 260 KB flate
 * bomb inflates to 256 MiB (measured: 657 MB peak RSS). So before pdf.js loads, the worker's
 * global `Uint8Array` is wrapped to refuse any single allocation over `maxStreamBytes` (pdf.js
 * grows decode buffers with `new Uint8Array(size)`) and `DecompressionStream` to stop past that
 * many bytes (pdf.js inflates content streams natively, collecting every chunk first). A refusal
 * answers `limit` at once, even if pdf.js swallows the error, and marks the worker as not
 * reusable (it may still be decoding). The wrappers exist only in the parsing workers.
 *
 * A worker reads one document at a time: each `{ id, data: PdfWorkerJob }` message is answered
 * with `{ id, result: PdfWorkerResult, reusable }`. pdf.js is loaded on the first job and kept
 * for the next ones; every document is destroyed (`doc.destroy()`) before the answer.
 */
export const PDF_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData: input } = require('node:worker_threads');
const { readFile } = require('node:fs/promises');

const INFO_KEYS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer'];

let jobId;
let limitHit = false;
function refuse() {
  // Answer now: pdf.js may swallow the error and keep decoding; the parent then terminates us.
  if (!limitHit) parentPort.postMessage({ id: jobId, result: { kind: 'limit' }, reusable: false });
  limitHit = true;
  return new RangeError('[fileforge:pdf] decoded data over maxStreamBytes');
}
globalThis.Uint8Array = new Proxy(Uint8Array, {
  construct(target, args, newTarget) {
    if (typeof args[0] === 'number' && args[0] > input.maxStreamBytes) throw refuse();
    return Reflect.construct(target, args, newTarget);
  },
});
const NativeDecompressionStream = globalThis.DecompressionStream;
if (NativeDecompressionStream) {
  // pdf.js inflates content streams natively and collects every chunk before copying them.
  globalThis.DecompressionStream = function DecompressionStream(format) {
    const inner = new NativeDecompressionStream(format);
    let total = 0;
    const cap = new TransformStream({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > input.maxStreamBytes) controller.error(refuse());
        else controller.enqueue(chunk);
      },
    });
    return { writable: inner.writable, readable: inner.readable.pipeThrough(cap) };
  };
}

function infoString(value) {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, input.maxInfoChars) : null;
}

function isoDate(pdfjs, value) {
  if (typeof value !== 'string') return null;
  const date = pdfjs.PDFDateString.toDateObject(value);
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

async function extract(pdfjs, data) {
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      useWorkerFetch: false,
      useWasm: false,
      disableAutoFetch: true,
      disableStream: true,
      disableRange: true,
      enableXfa: false,
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
      cMapUrl: input.cMapDir,
      standardFontDataUrl: input.standardFontDir,
      verbosity: 0,
    }).promise;
  } catch (error) {
    if (error && error.name === 'PasswordException') return { kind: 'password' };
    return { kind: 'invalid', message: String(error && error.message) };
  }
  let page = 0;
  try {
    const { info } = await doc.getMetadata();
    const result = {
      kind: 'ok',
      pageCount: doc.numPages,
      pagesRead: 0,
      info: {},
      pdfVersion: infoString(info.PDFFormatVersion),
      encrypted: typeof info.EncryptFilterName === 'string',
      text: '',
      textTruncated: false,
    };
    for (const key of INFO_KEYS) result.info[key] = infoString(info[key]);
    result.info.CreationDate = isoDate(pdfjs, info.CreationDate);
    result.info.ModDate = isoDate(pdfjs, info.ModDate);
    const parts = [];
    let length = 0;
    const last = Math.min(doc.numPages, input.maxPages);
    for (page = 1; page <= last; page++) {
      const pdfPage = await doc.getPage(page);
      const content = await pdfPage.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (typeof item.str === 'string') text += item.str + (item.hasEOL ? '\n' : '');
      }
      pdfPage.cleanup();
      parts.push(text.trimEnd());
      result.pagesRead = page;
      length += text.length + 1;
      if (length > input.maxTextChars) break;
    }
    const text = parts.join('\n').trim();
    result.text = text.slice(0, input.maxTextChars);
    result.textTruncated = text.length > input.maxTextChars || result.pagesRead < doc.numPages;
    return result;
  } catch (error) {
    return { kind: 'invalid', message: String(error && error.message), page };
  } finally {
    await doc.destroy().catch(() => {});
  }
}

let loading;
async function loadPdfjs() {
  globalThis.pdfjsWorker = await import(input.workerUrl);
  return import(input.pdfUrl);
}

parentPort.on('message', async ({ id, data: job }) => {
  jobId = id;
  limitHit = false;
  let pdfjs;
  let data;
  try {
    loading ??= loadPdfjs();
    pdfjs = await loading;
    data = job.path ? new Uint8Array(await readFile(job.path)) : new Uint8Array(job.bytes);
  } catch (error) {
    parentPort.postMessage({ id, result: { kind: 'error', message: String(error && error.message) }, reusable: false });
    return;
  }
  const result = await extract(pdfjs, data);
  if (!limitHit) parentPort.postMessage({ id, result, reusable: true });
});
`;
