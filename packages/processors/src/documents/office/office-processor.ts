import type { Processor, ProcessorSupport } from '@fileforge/core';
import { withGuardedZip } from '../../archives/zip-guard.js';
import { resolveZipLimits, type ZipGuardOptions } from '../../archives/zip-limits.js';
import { checkInteger } from '../../options/check.js';
import { CFB_MIME, legacyOfficeMetadata } from './legacy.js';
import type { LegacyOfficeMetadata, OfficeFormat, OfficeMetadata } from './office-metadata.js';
import { PackageParts } from './package-parts.js';
import { readOdf, readOoxml } from './read-package.js';

/** Options for {@link createOfficeProcessor}: the zip guard's limits plus what to keep. */
export interface OfficeProcessorOptions extends ZipGuardOptions {
  /**
   * Most characters of body text to store in `metadata.office.text`; reading stops early
   * when a body is longer (`textTruncated: true`). Larger values help search, grow records.
   * @default 100000
   */
  maxTextChars?: number;
  /**
   * How many xlsx shared strings to store in `metadata.office.sharedStrings`; all are counted.
   * @default 1000
   */
  maxSharedStrings?: number;
}

/** The MIME types file-type reports for the zip-based formats handled, and their short names. */
const FORMATS: Readonly<Record<string, OfficeFormat>> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};

/** What the office processor handles and refuses, for the generated format table. */
export const officeSupport: ProcessorSupport = {
  formats: 'DOCX, XLSX, PPTX, ODT, ODS, ODP; legacy DOC/XLS/PPT recognised only',
  extracts: [
    'properties: title, subject, creator, keywords, description, lastModifiedBy, created, modified, application, pages, words',
    'text (paragraphs separated by newlines, up to maxTextChars) and textTruncated',
    'spreadsheets: sheets with row counts; xlsx shared strings (first maxSharedStrings) and their count',
    'presentations: slideCount; hasMacros (VBA project / macro-enabled types, ODF Basic)',
    'legacy OLE files: { format: doc | xls | ppt | unknown-ole, extracted: false } from the name',
  ],
  limits: [
    'read through the zip guard: every archive limit and reason applies (archive_limits, archive_overlap, …)',
    'parts larger than maxEntryBytes (128 MiB) → archive_limits; data longer than declared → archive_limits',
    'any DOCTYPE in a parsed XML part → CONTENT_REJECTED xml_doctype (no DTDs, no external entities)',
    'malformed XML or a missing main part → CONTENT_REJECTED corrupt_document',
    'a part whose parser would hold over 8 Mi characters at once (one giant text node, comment, tag or nesting) is read up to there: textTruncated, that sheet’s rows null',
  ],
};

/**
 * Creates the `office` processor for OOXML (docx, xlsx, pptx) and ODF (odt, ods, odp)
 * documents. A document is a zip: it is opened through the zip guard (the central directory
 * is checked before any part is read), and only the parts needed are streamed, each through
 * a byte counter, into saxes — no part is held whole, no DTD is read. It extracts the
 * document properties, the body text (capped), sheets with row counts and shared strings,
 * and slide counts. Legacy binary files (`application/x-cfb`) are recorded, not read.
 *
 * @example
 * ```ts
 * const forge = await createForge({ processors: [createOfficeProcessor({ maxTextChars: 20_000 })] });
 * // later: (await forge.files.get(id))?.metadata.office → { format: 'docx', title: '…', text: '…', … }
 * ```
 */
export function createOfficeProcessor(options: OfficeProcessorOptions = {}): Processor {
  const zipLimits = resolveZipLimits(options, 'office');
  const limits = {
    maxTextChars: checkInteger('office', 'maxTextChars', options.maxTextChars ?? 100_000, 0),
    maxSharedStrings: checkInteger('office', 'maxSharedStrings', options.maxSharedStrings ?? 1000, 0),
  };
  return {
    name: 'office',
    mimeTypes: [...Object.keys(FORMATS), CFB_MIME],
    support: officeSupport,
    async extractMetadata(file, context): Promise<OfficeMetadata | LegacyOfficeMetadata> {
      const { record } = file;
      const format = FORMATS[record.mime];
      if (!format) return legacyOfficeMetadata(record);
      return withGuardedZip(file, zipLimits, context.signal, (zip) => {
        const parts = new PackageParts(zip);
        const read = format.startsWith('od') ? readOdf : readOoxml;
        return read(zip, parts, format, limits, context.signal);
      });
    },
  };
}
