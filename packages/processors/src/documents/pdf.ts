import type { Processor } from '@fileforge/core';
import { checkInteger } from '../options/check.js';
import { createDocumentOperations, MAX_PREVIEW_SIZE } from './document-operations.js';
import { createPdfExtractor } from './pdf-extract.js';
import { PREVIEW_NAME } from './pdf-preview.js';
import { checkNoAppendedZip } from './pdf-trailing.js';

/** Options for {@link createPdfProcessor}. */
export interface PdfProcessorOptions {
  /**
   * Characters of text kept in `text`; longer text is cut and `textTruncated` set. Text is
   * stored in the record, so this bounds every PDF's record size.
   * @default 100000
   */
  maxTextChars?: number;
  /**
   * Pages whose text is extracted. `pageCount` still reports every page; a cap keeps a
   * 10,000-page document from taking minutes.
   * @default 500
   */
  maxPages?: number;
  /**
   * Largest PDF handed to pdf.js, in bytes; larger ones end `rejected` (`pdf_limits`).
   * pdf.js holds the whole file in memory while it parses.
   * @default 104857600 (100 MiB)
   */
  maxBytes?: number;
  /**
   * Heap of the parsing worker (V8 old generation) in MiB; running out of it ends the file
   * `rejected` (`pdf_limits`) instead of crashing the process.
   * @default 256
   */
  maxHeapMb?: number;
  /**
   * Largest single buffer pdf.js may allocate while decoding, in bytes: a flate bomb (a small
   * stream that inflates to gigabytes) ends `rejected` (`pdf_limits`) instead of taking
   * the machine's memory, which the worker's heap cap does not cover (decoded bytes live outside
   * the V8 heap). pdf.js grows buffers by doubling, so streams up to half of this always fit.
   * @default 67108864 (64 MiB)
   */
  maxStreamBytes?: number;
  /**
   * Wall-clock budget of the parsing worker; past it the worker is terminated and the file ends
   * `failed` with `PROCESSOR_TIMEOUT`. Keep it below the forge's `processorTimeoutMs`.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Documents one parsing worker reads before it is replaced by a fresh one. Loading pdf.js
   * into a new worker costs more CPU than reading a typical document, and on glibc each new
   * worker thread leaves native memory behind, so workers are reused; a worker that timed out,
   * ran out of memory, hit `maxStreamBytes` or crashed is never reused. `1` gives every
   * document a fresh worker (the strictest isolation, the slowest).
   * @default 50
   */
  workerJobs?: number;
  /**
   * How long an idle parsing worker is kept for the next PDF, in ms; then it is terminated, so
   * an idle server holds no pdf.js worker (each holds tens of MiB). A burst of PDFs keeps its
   * workers; a PDF arriving later pays for loading pdf.js again.
   * @default 5000
   */
  workerIdleMs?: number;
  /**
   * Render `preview-1.png` of page 1 with poppler's `pdftoppm`. Without pdftoppm installed the
   * preview is skipped and `preview` says why.
   * @default true
   */
  preview?: boolean;
  /**
   * Long edge of the preview in pixels (`pdftoppm -scale-to`, at most 4096), which also
   * bounds the render whatever the page's claimed size.
   * @default 1024
   */
  previewSize?: number;
  /** Budget of one pdftoppm run; past it the render is killed and skipped. @default 20000 */
  previewTimeoutMs?: number;
  /** The pdftoppm executable (looked up on `PATH`). @default 'pdftoppm' */
  pdftoppmPath?: string;
}

/** What the PDF processor stores under `metadata.pdf`. */
export type PdfMetadata = {
  /** Pages in the document as pdf.js counts them (`null` when a password is required). */
  pageCount: number | null;
  /** Pages whose text was read (at most `maxPages`). */
  pagesRead: number;
  title: string | null;
  author: string | null;
  subject: string | null;
  keywords: string | null;
  creator: string | null;
  producer: string | null;
  /** ISO 8601, or `null` when absent or unparsable. */
  creationDate: string | null;
  modDate: string | null;
  /** `1.7`, from the header (or the catalog's `/Version`). */
  pdfVersion: string | null;
  /** The document has an encryption dictionary (even one that opens without a password). */
  encrypted: boolean;
  /** A user password is needed to read it; nothing else could be extracted. */
  passwordRequired: boolean;
  text: string;
  /** The text was cut at `maxTextChars` or pages after `maxPages` were not read. */
  textTruncated: boolean;
  /** `preview-1.png` when rendered, else `unavailable: <why>` or `disabled`. */
  preview?: string;
};

/**
 * Creates the `pdf` processor for `application/pdf`.
 *
 * How it works: pdf.js (the legacy build, `isEvalSupported: false`, no font faces, no system
 * fonts, no range or stream fetching, nothing but local files) parses the document inside a
 * worker thread with a capped heap and a wall-clock timer, so hostile PDFs (page-tree cycles,
 * deep nesting, huge object graphs) cost one terminated worker, never the process. A worker
 * that answered normally reads up to `workerJobs` documents, one at a time. It records
 * the page count, the Info dictionary, the version, encryption and the text of the first
 * `maxPages` pages. `process()` then runs the `document.preview` operation: page 1 rendered
 * to `preview-1.png` with `pdftoppm` and re-encoded with sharp.
 *
 * Outcomes: unreadable documents (garbage after `%PDF`, broken xref, page-tree cycles) end
 * `rejected` with `CONTENT_REJECTED` `pdf_invalid` (a cycle adds `problem: 'page_tree_cycle'`);
 * too large, a flate bomb or out of worker memory → `pdf_limits`; past `timeoutMs` →
 * `PROCESSOR_TIMEOUT` (`failed`). A password-protected PDF is processed with
 * `passwordRequired: true`. A lying `/Count` is not trusted: pdf.js checks the last page and
 * falls back to counting the pages it can reach.
 *
 * @example
 * ```ts
 * import { createPdfProcessor } from '@fileforge/processors/documents';
 * const forge = await createForge({ processors: [createPdfProcessor({ maxPages: 50 })] });
 * // later: (await forge.files.get(id))?.metadata.pdf → { pageCount: 3, title: 'Invoice', … }
 * ```
 */
export function createPdfProcessor(options: PdfProcessorOptions = {}): Processor {
  const limits = {
    maxTextChars: checkInteger('pdf', 'maxTextChars', options.maxTextChars ?? 100_000, 0),
    maxPages: checkInteger('pdf', 'maxPages', options.maxPages ?? 500, 0),
    maxBytes: checkInteger('pdf', 'maxBytes', options.maxBytes ?? 100 * 1024 * 1024, 1),
    maxHeapMb: checkInteger('pdf', 'maxHeapMb', options.maxHeapMb ?? 256, 16),
    maxStreamBytes: checkInteger('pdf', 'maxStreamBytes', options.maxStreamBytes ?? 64 * 1024 * 1024, 1024),
    timeoutMs: checkInteger('pdf', 'timeoutMs', options.timeoutMs ?? 30_000, 1),
    workerJobs: checkInteger('pdf', 'workerJobs', options.workerJobs ?? 50, 1),
    workerIdleMs: checkInteger('pdf', 'workerIdleMs', options.workerIdleMs ?? 5000, 0, 2 ** 31 - 1),
  };
  const extractPdf = createPdfExtractor(limits);
  const preview = {
    size: checkInteger('pdf', 'previewSize', options.previewSize ?? 1024, 16, MAX_PREVIEW_SIZE),
    timeoutMs: checkInteger('pdf', 'previewTimeoutMs', options.previewTimeoutMs ?? 20_000, 1, 2 ** 31 - 1),
  };
  const renders = options.preview ?? true;
  const [previewOperation] = createDocumentOperations({ pdftoppmPath: options.pdftoppmPath });
  return {
    name: 'pdf',
    mimeTypes: ['application/pdf'],
    support: {
      formats: 'PDF (text and metadata through pdf.js in a sandboxed worker)',
      extracts: [
        'pageCount',
        'title, author, subject, keywords, creator, producer',
        'creationDate, modDate (ISO 8601)',
        'pdfVersion, encrypted, passwordRequired',
        `text (first ${limits.maxPages} pages, ${limits.maxTextChars} characters; textTruncated)`,
      ],
      derivatives: [`${PREVIEW_NAME} (page 1, ${preview.size} px long edge; needs pdftoppm)`],
      limits: [
        'unreadable PDF or page-tree cycle → CONTENT_REJECTED pdf_invalid',
        'a ZIP archive appended after the document (the file ends with a ZIP end record) → CONTENT_REJECTED trailing_data',
        `larger than ${limits.maxBytes} bytes, a stream decoding past ${limits.maxStreamBytes} bytes or worker heap over ${limits.maxHeapMb} MiB → CONTENT_REJECTED pdf_limits`,
        `parsing over ${limits.timeoutMs} ms → PROCESSOR_TIMEOUT`,
      ],
    },
    async extractMetadata(file, context): Promise<PdfMetadata> {
      await checkNoAppendedZip(file);
      const found = await extractPdf(file, context.signal);
      if (found.kind === 'password') {
        return {
          pageCount: null,
          pagesRead: 0,
          title: null,
          author: null,
          subject: null,
          keywords: null,
          creator: null,
          producer: null,
          creationDate: null,
          modDate: null,
          pdfVersion: null,
          encrypted: true,
          passwordRequired: true,
          text: '',
          textTruncated: false,
        };
      }
      const info = (key: string) => found.info[key] ?? null;
      return {
        pageCount: found.pageCount,
        pagesRead: found.pagesRead,
        title: info('Title'),
        author: info('Author'),
        subject: info('Subject'),
        keywords: info('Keywords'),
        creator: info('Creator'),
        producer: info('Producer'),
        creationDate: info('CreationDate'),
        modDate: info('ModDate'),
        pdfVersion: found.pdfVersion,
        encrypted: found.encrypted,
        passwordRequired: false,
        text: found.text,
        textTruncated: found.textTruncated,
      };
    },
    async process(file, context) {
      if (!renders || !previewOperation) return { metadata: { preview: 'disabled' } };
      const { signal } = context;
      const result = await previewOperation.run(file, preview, { signal });
      for (const derivative of result.derivatives ?? []) await context.addDerivative(derivative);
      return { metadata: { preview: result.metadata?.preview } };
    },
  };
}
