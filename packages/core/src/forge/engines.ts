import { catalogEngine } from '../catalog/open.js';
import { queueEngine } from '../queue/open.js';
import { blobStoreEngine } from '../storage/open.js';
import type { ForgeOptions } from './options.js';

/**
 * Refuses, before anything is created on disk, a configuration that names an engine this
 * version cannot open (a `DATABASE_URL`, `REDIS_URL` or S3 location it does not understand). Every
 * entry point — `createForge`, the server, each CLI command — calls it, so each says the same.
 * Adapters passed in as objects (`catalog`, `blobStore`, `queue`) are the caller's choice and
 * are not checked.
 */
export function assertEnginesAvailable(options: ForgeOptions): void {
  if (!options.catalog && options.databaseUrl) catalogEngine(options.databaseUrl);
  if (!options.queue) queueEngine(options.queueUrl);
  if (!options.blobStore) blobStoreEngine({ ...(options.s3 ? { s3: options.s3 } : {}) });
}
