export type {
  BlobGetOptions,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobStoreHealth,
} from './blob-store.js';
export { createLocalBlobStore, type LocalBlobStoreOptions } from './local.js';
