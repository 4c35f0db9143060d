import { resolve } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import type { ForgeConfig } from '../config/index.js';
import type { EventBus, OutboxDispatcherOptions } from '../events/index.js';
import type { LockManager } from '../locks/index.js';
import type { Processor } from '../processing/index.js';
import type { InProcessQueueOptions, JobQueue, QueueHooks } from '../queue/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createKeyRing, type KeyRing, type KeyRingOptions, keyRingFromEnv } from '../storage/key-ring.js';
import type { S3Location } from '../storage/open.js';
import type { WatchFolderOptions } from '../watch/forge-watchers.js';
import type { ForgeWorkflowOptions } from '../workflows/setup.js';
import type { ForgeExtension } from './extension.js';

/** Minimal logger FileForge writes to (pino, console and most loggers fit). */
export interface ForgeLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options for {@link createForge}. Every field is optional; the defaults make an embedded forge under `./data`. */
export interface ForgeOptions {
  /** Directory for the SQLite catalog (and, by default, blobs). @default './data' */
  dataDir?: string;
  /** Blob root for the default local store. @default `<dataDir>/uploads` */
  uploadFolder?: string;
  /**
   * Root of the sorted tree on disk (SORTED_FOLDER): each sorted file also appears at
   * `<sortedFolder>/<tenant>/<path>` as a hard link to its stored blob (a copy where links are
   * impossible), for browsing with a file manager. The catalog's `path` stays the truth.
   * @default `<dataDir>/sorted`
   */
  sortedFolder?: string;
  /**
   * Materialise the sorted tree under `sortedFolder`. Off, the tree lives in the catalog and
   * the API only (what encryption at rest requires: nothing plaintext on disk). Only blob
   * stores with local files (`BlobStore.localPath`) can materialise.
   * @default true
   */
  materialize?: boolean;
  /**
   * Encryption at rest (ENCRYPTION_KEY, ENCRYPTION_KEYS_OLD): every blob (uploads and
   * derivatives) is stored AES-256-GCM encrypted under a per-blob data key wrapped by the
   * current master key; the blob store, injected or not, is wrapped. Forces `materialize` off
   * (the sorted tree would be plaintext hard links). The catalog (names, metadata, extracted
   * text) is not encrypted: see docs/security-guide.md. `{ keys, currentKeyId }` or a ring
   * from `createKeyRing()`. @default none: blobs stored in plaintext
   */
  encryption?: KeyRingOptions | KeyRing;
  /** `sqlite:<path>` for the default catalog. @default `sqlite:<dataDir>/fileforge.db` */
  databaseUrl?: string;
  /** Per-file size cap, enforced while the bytes stream in. @default 104857600 (100 MiB) */
  maxFileSize?: number;
  /** Processing jobs run at once. @default 4 */
  maxWorkers?: number;
  /** Attempts per job (infrastructure failures are retried; processor verdicts are final). @default 5 */
  jobMaxAttempts?: number;
  /**
   * Identical content in one tenant is stored once and shared by its records (each record
   * still reports `duplicateOf`). Set false to store every upload separately.
   * @default true
   */
  dedupeStoreOnce?: boolean;
  /**
   * Detected types accepted (`image/png`, `image/*`); anything else is refused with
   * `UNSUPPORTED_MEDIA_TYPE` while it arrives and nothing is stored. @default every type
   */
  allowedTypes?: readonly string[];
  /** Time budget per processor per file. @default 60000 */
  processorTimeoutMs?: number;
  /** How long `close()` waits for running jobs before leaving them for the next start. @default 10000 */
  shutdownGraceMs?: number;
  /** The processors to run. Core ships none; `@fileforge/processors` has the defaults. @default [] */
  processors?: readonly Processor[];
  /** Replace the blob store with one of your own. @default the store {@link ForgeOptions.s3} or `uploadFolder` selects */
  blobStore?: BlobStore;
  /**
   * S3-compatible storage (AWS_BUCKET_NAME, AWS_REGION, S3_ENDPOINT, …) instead of
   * `uploadFolder`, which then holds only private temp copies for tools that seek. The sorted
   * tree is not materialised (it lives in the catalog and the API). @default none (local disk)
   */
  s3?: S3Location;
  /**
   * REDIS_URL: the BullMQ queue instead of the in-process one, shared by every process on that
   * Redis (`fileforge worker`). With a PostgreSQL catalog the forge then does not lock its data
   * directory (other processes share the catalog and blobs); a SQLite catalog stays locked to one
   * process. See docs/scaling.md. @default none (the in-process queue)
   */
  queueUrl?: string;
  /**
   * Run jobs in this process. `false` only enqueues them (an API process whose jobs run in
   * `fileforge worker` processes on the same REDIS_URL). @default true
   */
  runJobs?: boolean;
  /**
   * Locks for what two instances must never do twice: a sort move (per sort run) and a
   * watched-folder claim (per claimed entry). Pass one shared by every instance, or set
   * `locksUrl`. See docs/scaling.md. @default in-process locks (one process), or Redis at `locksUrl`
   */
  locks?: LockManager;
  /** REDIS_URL: the locks live in this Redis, shared by every instance using it. Ignored when `locks` is given. @default none: in-process locks */
  locksUrl?: string;
  /** Replace the catalog (e.g. PostgreSQL). @default SQLite at `databaseUrl` */
  catalog?: Catalog;
  /** Replace the job queue (e.g. BullMQ). Given the catalog and queue hooks. @default in-process, durable in the catalog */
  queue?: (catalog: Catalog, hooks: QueueHooks) => JobQueue;
  /**
   * Subscribes listeners before start-up, so they also receive the events a crash left
   * committed but undelivered (delivered once start-up is done). Listeners added with
   * `forge.events.on()` right after `createForge()` resolves — before anything else is awaited —
   * receive them too. @default none
   */
  subscribe?: (events: EventBus) => void;
  /** How events are delivered from the outbox: rounds per event, backoff, listener timeout, retention of delivered events, claims across processes. @default see {@link OutboxDispatcherOptions} */
  eventDelivery?: Pick<
    OutboxDispatcherOptions,
    'maxAttempts' | 'backoff' | 'listenerTimeoutMs' | 'retentionMs' | 'leaseMs' | 'pollIntervalMs'
  >;
  /** Polling and leases of the in-process queue. @default 1 s poll, 30 s lease renewed every 10 s (see {@link InProcessQueueOptions}) */
  queueTiming?: Pick<InProcessQueueOptions, 'pollIntervalMs' | 'leaseMs' | 'renewIntervalMs'>;
  /**
   * Folders to watch (WATCH_FOLDER): a file dropped in one is ingested with `source: 'watch'`
   * once it has stopped changing for `stabilityMs`, claimed by exactly one watcher, and removed
   * from the folder once recorded. Watching starts after start-up; `close()` stops it.
   * See docs/watch-folders.md. @default none
   */
  watch?: WatchFolderOptions | readonly WatchFolderOptions[];
  /** Processor operations and custom step kinds for workflows, and the chain depth limit. @default see {@link ForgeWorkflowOptions} */
  workflows?: ForgeWorkflowOptions;
  /**
   * Modules plugged into the forge (`integrations()` from `@fileforge/integrations`): their
   * tables, step kinds, listeners and lifetime. See {@link ForgeExtension}. @default none
   */
  extensions?: readonly ForgeExtension[];
  /** Where FileForge logs. @default silent */
  logger?: ForgeLogger;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** {@link ForgeOptions} with defaults applied. */
export type ResolvedForgeOptions = Required<
  Pick<
    ForgeOptions,
    | 'dataDir'
    | 'uploadFolder'
    | 'sortedFolder'
    | 'materialize'
    | 'databaseUrl'
    | 'maxFileSize'
    | 'maxWorkers'
    | 'jobMaxAttempts'
    | 'dedupeStoreOnce'
    | 'processorTimeoutMs'
    | 'shutdownGraceMs'
    | 'now'
    | 'logger'
  >
> &
  Pick<ForgeOptions, 'allowedTypes'> & {
    /** The master keys of encryption at rest; `undefined` when blobs are stored in plaintext. */
    keyRing: KeyRing | undefined;
  };

const silent: ForgeLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Applies defaults to {@link ForgeOptions}. */
export function resolveForgeOptions(options: ForgeOptions): ResolvedForgeOptions {
  const dataDir = resolve(options.dataDir ?? './data');
  return {
    dataDir,
    uploadFolder: resolve(options.uploadFolder ?? resolve(dataDir, 'uploads')),
    sortedFolder: resolve(options.sortedFolder ?? resolve(dataDir, 'sorted')),
    // Encryption at rest never materialises: the sorted tree would be plaintext hard links.
    materialize: options.encryption ? false : (options.materialize ?? true),
    keyRing: resolveKeyRing(options.encryption),
    databaseUrl: options.databaseUrl ?? `sqlite:${resolve(dataDir, 'fileforge.db')}`,
    maxFileSize: options.maxFileSize ?? 104_857_600,
    maxWorkers: options.maxWorkers ?? 4,
    jobMaxAttempts: options.jobMaxAttempts ?? 5,
    dedupeStoreOnce: options.dedupeStoreOnce ?? true,
    processorTimeoutMs: options.processorTimeoutMs ?? 60_000,
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    allowedTypes: options.allowedTypes,
    now: options.now ?? Date.now,
    logger: options.logger ?? silent,
  };
}

function resolveKeyRing(encryption: ForgeOptions['encryption']): KeyRing | undefined {
  if (!encryption) return undefined;
  return 'current' in encryption ? encryption : createKeyRing(encryption);
}

/** Maps a {@link ForgeConfig} (from the environment) to {@link ForgeOptions}. */
export function forgeOptionsFromConfig(config: ForgeConfig): ForgeOptions {
  const keyRing = keyRingFromEnv(config.env);
  return {
    ...(keyRing ? { encryption: keyRing } : {}),
    dataDir: config.dataDir,
    uploadFolder: config.uploadFolder,
    sortedFolder: config.sortedFolder,
    databaseUrl: config.databaseUrl,
    maxFileSize: config.maxFileSize,
    maxWorkers: config.maxWorkers,
    jobMaxAttempts: config.jobMaxAttempts,
    dedupeStoreOnce: config.dedupeStoreOnce,
    shutdownGraceMs: config.shutdownGraceMs,
    processorTimeoutMs: config.env.PROCESSOR_TIMEOUT_MS,
    ...(config.allowedFileTypes ? { allowedTypes: config.allowedFileTypes } : {}),
    ...(config.env.REDIS_URL ? { queueUrl: config.env.REDIS_URL } : {}),
    ...(config.env.JOB_LEASE_MS ? { queueTiming: { leaseMs: config.env.JOB_LEASE_MS } } : {}),
    ...(config.env.REDIS_URL ? { locksUrl: config.env.REDIS_URL } : {}),
    ...(config.env.WATCH_FOLDER
      ? {
          watch: {
            folder: resolve(config.env.WATCH_FOLDER),
            recursive: config.env.WATCH_RECURSIVE,
            stabilityMs: config.env.WATCH_STABILITY_MS,
          },
        }
      : {}),
    ...(config.env.AWS_BUCKET_NAME
      ? {
          s3: {
            bucket: config.env.AWS_BUCKET_NAME,
            ...(config.env.AWS_REGION ? { region: config.env.AWS_REGION } : {}),
            ...(config.env.S3_ENDPOINT ? { endpoint: config.env.S3_ENDPOINT } : {}),
            ...(config.env.S3_FORCE_PATH_STYLE === undefined
              ? {}
              : { forcePathStyle: config.env.S3_FORCE_PATH_STYLE }),
            ...(config.env.AWS_ACCESS_KEY_ID && config.env.AWS_SECRET_ACCESS_KEY
              ? {
                  credentials: {
                    accessKeyId: config.env.AWS_ACCESS_KEY_ID,
                    secretAccessKey: config.env.AWS_SECRET_ACCESS_KEY,
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}
