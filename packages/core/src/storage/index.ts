export type {
  BlobGetOptions,
  BlobListEntry,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobStoreHealth,
} from './blob-store.js';
export { createLocalBlobStore, type LocalBlobStoreOptions } from './local.js';
export {
  type BlobStoreEngine,
  blobStoreEngine,
  type OpenBlobStoreOptions,
  openBlobStore,
  type S3Location,
} from './open.js';
