export type {
  BlobAdoptOptions,
  BlobGetOptions,
  BlobListEntry,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobStoreHealth,
  BlobSweepOptions,
  WithLocalFileOptions,
} from './blob-store.js';
export {
  type ConfiguredBlobStoreOptions,
  encryptAtRest,
  openConfiguredBlobStore,
} from './configured.js';
export {
  createEncryptedBlobStore,
  type EncryptedBlobStore,
  type EncryptedBlobStoreOptions,
  type RewrapResult,
} from './encrypted.js';
export {
  createKeyRing,
  type KeyRing,
  type KeyRingOptions,
  keyIdOf,
  keyRingFromEnv,
  type MasterKey,
  type MasterKeyInput,
  parseMasterKey,
} from './key-ring.js';
export { createLocalBlobStore, type LocalBlobStoreOptions } from './local.js';
export {
  type BlobStoreEngine,
  blobStoreEngine,
  type OpenBlobStoreOptions,
  openBlobStore,
  type S3Location,
} from './open.js';
export { type RotateKeysOptions, type RotateKeysReport, rotateKeys } from './rotate.js';
export {
  createValueSealer,
  type SealingKey,
  type ValueSealer,
  type ValueSealerOptions,
} from './sealed-value.js';
