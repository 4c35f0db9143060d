import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, FileForgeError, type ProcessorFile } from '@fileforge/core';
import { rejectContent } from '../reject-content.js';
import {
  PDF_WORKER_SOURCE,
  type PdfWorkerData,
  type PdfWorkerJob,
  type PdfWorkerResult,
} from './pdf-worker-source.js';
import { createSandbox } from './sandbox-worker.js';

/** Limits for one extraction. */
export interface PdfExtractLimits {
  maxBytes: number;
  maxPages: number;
  maxTextChars: number;
  maxHeapMb: number;
  maxStreamBytes: number;
  timeoutMs: number;
  /** Documents one parsing worker reads before it is replaced. */
  workerJobs: number;
  /** How long an idle parsing worker is kept, in ms. */
  workerIdleMs: number;
}

type PdfjsLocation = Pick<PdfWorkerData, 'pdfUrl' | 'workerUrl' | 'cMapDir' | 'standardFontDir'>;

let location: PdfjsLocation | undefined;

/** Where pdf.js is installed, resolved once in the parent so the worker needs no resolution. */
function pdfjsLocation(): PdfjsLocation {
  if (location) return location;
  const require = createRequire(import.meta.url);
  let pdf: string;
  try {
    pdf = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
  } catch (error) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:pdf] pdfjs-dist is not installed: npm i pdfjs-dist',
      {
        cause: error,
      },
    );
  }
  const root = join(dirname(pdf), '..', '..');
  location = {
    pdfUrl: pathToFileURL(pdf).href,
    workerUrl: pathToFileURL(join(dirname(pdf), 'pdf.worker.mjs')).href,
    cMapDir: `${join(root, 'cmaps')}/`,
    standardFontDir: `${join(root, 'standard_fonts')}/`,
  };
  return location;
}

const tooLarge = (size: number, limit: number) =>
  rejectContent(
    'pdf',
    'pdf_limits',
    `The PDF is larger than the ${limit}-byte parsing limit (raise "maxBytes" to accept it)`,
    { details: { limit, size } },
  );

/** The file as the worker should read it: by path, or as bytes read here under the size cap. */
async function source(file: ProcessorFile, maxBytes: number, signal: AbortSignal): Promise<PdfWorkerJob> {
  if (file.path) {
    const { size } = await stat(file.path);
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    return { path: file.path };
  }
  if (file.record.size > maxBytes) throw tooLarge(file.record.size, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of (await file.open()) as AsyncIterable<Buffer>) {
    signal.throwIfAborted();
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes: bytes.buffer };
}

/** Reads one PDF; see {@link createPdfExtractor}. */
export type PdfExtractor = (
  file: ProcessorFile,
  signal: AbortSignal,
) => Promise<Extract<PdfWorkerResult, { kind: 'ok' } | { kind: 'password' }>>;

/**
 * Extracts PDFs' facts and text with pdf.js in sandboxed workers (see {@link createSandbox}),
 * kept for `workerJobs` documents so pdf.js is not loaded again for each one.
 * Rejects with `CONTENT_REJECTED` `pdf_invalid` when pdf.js cannot read the document or one of
 * the pages it reads (a page-tree cycle included: pdf.js detects it and fails the page).
 */
export function createPdfExtractor(limits: PdfExtractLimits): PdfExtractor {
  let sandbox: ReturnType<typeof createSandbox> | undefined;
  // Created on first use: pdf.js is resolved then, so a missing install fails the job, not start-up.
  const sandboxOf = () => {
    if (sandbox) return sandbox;
    const workerData: PdfWorkerData = {
      ...pdfjsLocation(),
      maxPages: limits.maxPages,
      maxTextChars: limits.maxTextChars,
      maxInfoChars: 1000,
      maxStreamBytes: limits.maxStreamBytes,
    };
    sandbox = createSandbox({
      scope: 'pdf',
      source: PDF_WORKER_SOURCE,
      workerData,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.maxHeapMb,
        maxYoungGenerationSizeMb: 32,
        stackSizeMb: 4,
      },
      resourceLimitReason: 'pdf_limits',
      maxJobsPerWorker: limits.workerJobs,
      idleMs: limits.workerIdleMs,
    });
    return sandbox;
  };
  return async (file, signal) => {
    const job = await source(file, limits.maxBytes, signal);
    const result = (await sandboxOf().run({
      data: job,
      transferList: job.bytes ? [job.bytes] : [],
      timeoutMs: limits.timeoutMs,
      signal,
    })) as PdfWorkerResult;
    if (result.kind === 'error') throw new Error(`[fileforge:pdf] Could not start pdf.js: ${result.message}`);
    if (result.kind === 'limit') {
      throw rejectContent(
        'pdf',
        'pdf_limits',
        `A stream decodes to more than ${limits.maxStreamBytes} bytes (raise "maxStreamBytes" to accept it)`,
        { details: { problem: 'stream_too_large', limit: limits.maxStreamBytes } },
      );
    }
    if (result.kind === 'invalid') {
      const cycle = /circular reference|loop/i.test(result.message);
      throw rejectContent('pdf', 'pdf_invalid', `Not a readable PDF: ${result.message.slice(0, 200)}`, {
        details: {
          ...(cycle ? { problem: 'page_tree_cycle' } : {}),
          ...(result.page ? { page: result.page } : {}),
        },
      });
    }
    return result;
  };
}
