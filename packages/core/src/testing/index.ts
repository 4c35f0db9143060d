/**
 * Conformance suites for the adapter families. Every BlobStore, Catalog and JobQueue
 * implementation — embedded or scaled-out — runs the same suite (vitest is a peer dependency).
 *
 * @module
 */
export { type BlobStoreFactory, describeBlobStore } from './blob-store.js';
export { type CatalogFactory, describeCatalog } from './catalog.js';
export { describeLockManager, type LockManagerFactory } from './lock-manager.js';
export {
  type ConformanceJobs,
  describeJobQueue,
  type MakeQueue,
  type QueueFactory,
  type QueueTestOptions,
} from './queue.js';
export { sampleFile } from './samples.js';
