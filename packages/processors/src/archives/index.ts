/**
 * Archive listing for FileForge (`@fileforge/processors/archives`): the `archive` processor
 * for zip, tar and tar.gz, and the zip guard that office documents are read through.
 *
 * @module
 */
export type { ArchiveEntry, ArchiveMetadata, ListingOptions } from './archive-metadata.js';
export { type ArchiveProcessorOptions, archiveSupport, createArchiveProcessor } from './archive-processor.js';
export type { ArchiveLink } from './link-target.js';
export type { TarRejectReason } from './tar-listing.js';
export { type GuardedZip, openGuardedZip, withGuardedZip, type ZipEntryInfo } from './zip-guard.js';
export {
  DEFAULT_ZIP_LIMITS,
  resolveZipLimits,
  type ZipGuardOptions,
  type ZipLimits,
  type ZipRejectReason,
} from './zip-limits.js';
