/**
 * Document processors: `pdf` (pdf.js in a sandboxed worker, a first-page preview through
 * poppler's pdftoppm), `csv` (streamed through csv-parse), `json` (JSON.parse for small files,
 * a constant-memory scan for large ones and NDJSON) and `office` (OOXML and ODF), and the
 * `document.preview` operation (`createDocumentOperations()`). Import from
 * `@fileforge/processors/documents`; the package root loads none of their dependencies.
 *
 * @module
 */
export { type CsvMetadata, type CsvProcessorOptions, createCsvProcessor, isCsvRecord } from './csv.js';
export type { CsvDelimiter } from './csv-dialect.js';
export { createDocumentOperations, type DocumentOperationsOptions } from './document-operations.js';
export {
  createJsonProcessor,
  isJsonRecord,
  type JsonMetadata,
  type JsonProcessorOptions,
  type JsonShape,
  type JsonType,
} from './json.js';
export {
  createOfficeProcessor,
  type LegacyOfficeMetadata,
  type OfficeFormat,
  type OfficeMetadata,
  type OfficeProcessorOptions,
  type OfficeProperties,
  type OfficeSheet,
  officeSupport,
} from './office/index.js';
export { createPdfProcessor, type PdfMetadata, type PdfProcessorOptions } from './pdf.js';
