/**
 * FileForge core: configuration, errors, the event bus, the file model, the blob store,
 * catalog and job queue adapter families, the processor contract, and `createForge()`.
 *
 * @module
 */
export type {
  AccountStore,
  Catalog,
  CatalogTransaction,
  DeletedFile,
  DerivativeCatalog,
  FileCatalog,
  FileListPage,
  FileListQuery,
  FilePatch,
  JobClaim,
  JobFinish,
  JobOutcome,
  JobStore,
  OutboxAppend,
  OutboxEntry,
  OutboxStore,
  SqlCatalogOptions,
  SqliteCatalogOptions,
} from './catalog/index.js';
export {
  type CatalogEngine,
  type CatalogErrorMapper,
  catalogEngine,
  coreMigrations,
  createSqlCatalog,
  createSqliteCatalog,
  type MigrationModule,
  mapCatalogErrors,
  type OpenCatalogOptions,
  openCatalog,
  runMigrations,
  sqlitePathFromUrl,
} from './catalog/index.js';
export { type Env, envSchema, type ForgeConfig, loadConfig } from './config/index.js';
export { ErrorCode, FileForgeError, type FileForgeErrorOptions, toFileForgeError } from './errors/index.js';
export {
  createOutboxDispatcher,
  type DeliveryResult,
  EventBus,
  type EventBusOptions,
  type FileEvent,
  type FileFailedEvent,
  type ForgeEventName,
  type ForgeEventPayload,
  type ForgeEvents,
  type OutboxDispatcher,
  type OutboxDispatcherOptions,
} from './events/index.js';
export {
  assertEnginesAvailable,
  createForge,
  DEFAULT_TENANT,
  type Forge,
  type ForgeFiles,
  type ForgeLogger,
  type ForgeOptions,
  forgeOptionsFromConfig,
  type IngestOptions,
  type OpenedFile,
  type OpenOptions,
  PROCESS_JOB,
  type ProcessJobPayload,
  type ResolvedForgeOptions,
  type TenantOptions,
} from './forge/index.js';
export {
  ensurePrivateDir,
  type PermissionWarner,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
} from './fs/private-dir.js';
export { createId, isId } from './ids/id.js';
export {
  bomEncoding,
  DETECTION_HEAD_BYTES,
  detectType,
  extensionOf,
  normalizeMime,
  type SniffedEncoding,
  sniffTextEncoding,
  TEXT_MIME_TYPES,
  toDisplayName,
} from './ingest/index.js';
export type {
  ApiKeyRecord,
  DerivativeRecord,
  Detection,
  FileRecord,
  FileStatus,
  JobRecord,
  JobStatus,
  RefreshTokenRecord,
  Role,
  UserRecord,
} from './model/index.js';
export { FINAL_FILE_STATUSES, ROLES } from './model/index.js';
export type {
  DerivativeOutput,
  FileFailure,
  Processor,
  ProcessorContext,
  ProcessorFile,
  ProcessorSupport,
  ProcessResult,
  RecognisedType,
} from './processing/index.js';
export {
  ProcessorRegistry,
  processorAccepts,
  REJECTION_MESSAGES,
  toFileFailure,
} from './processing/index.js';
export type {
  Backoff,
  EnqueueOptions,
  ExponentialBackoffOptions,
  InProcessQueueOptions,
  JobContext,
  JobHandler,
  JobMap,
  JobQueue,
  JobType,
  OpenQueueOptions,
  QueueEngine,
  QueueHooks,
  QueueStats,
} from './queue/index.js';
export { createInProcessQueue, exponentialBackoff, openQueue, queueEngine } from './queue/index.js';
export {
  type BackoffOptions,
  backoffDelay,
  isRetryableError,
  type Jitter,
  type RetryContext,
  type RetryOptions,
  retry,
  retryAfterMsOf,
  TimeoutError,
  withTimeout,
} from './resilience/index.js';
export type { RunStepOptions, StepContext, StepKind, StepOutcome, StepResult } from './steps/index.js';
export type {
  BlobGetOptions,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobStoreEngine,
  BlobStoreHealth,
  LocalBlobStoreOptions,
  OpenBlobStoreOptions,
  S3Location,
} from './storage/index.js';
export { blobStoreEngine, createLocalBlobStore, openBlobStore } from './storage/index.js';
export { ByteMeter, type ByteMeterOptions, type HeadInspector } from './stream/meter.js';
