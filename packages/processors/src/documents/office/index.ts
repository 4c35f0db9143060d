/**
 * Office documents for FileForge: the `office` processor (OOXML and ODF read through the zip
 * guard and saxes; legacy OLE files recognised only). Re-exported by
 * `@fileforge/processors/documents`.
 *
 * @module
 */
export type {
  LegacyOfficeMetadata,
  OfficeFormat,
  OfficeMetadata,
  OfficeProperties,
  OfficeSheet,
} from './office-metadata.js';
export { createOfficeProcessor, type OfficeProcessorOptions, officeSupport } from './office-processor.js';
