import { hash } from 'node:crypto';
import type { Catalog } from '../catalog/index.js';
import type { EventBus, OutboxDispatcher } from '../events/index.js';
import type { LockManager } from '../locks/index.js';
import type { ProcessorRegistry } from '../processing/index.js';
import type { JobQueue } from '../queue/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { ResolvedForgeOptions } from './options.js';

/** The parts of a forge its operations share. Internal. */
export interface ForgeContext {
  options: ResolvedForgeOptions;
  blobs: BlobStore;
  catalog: Catalog;
  queue: JobQueue;
  events: EventBus;
  /** Delivers the event outbox to `events`. */
  dispatcher: OutboxDispatcher;
  processors: ProcessorRegistry;
  /** Locks shared by the instances of a deployment (in-process when embedded). */
  locks: LockManager;
  /** Set once shutdown has begun: new ingests are refused. */
  closing: boolean;
}

/** Job type of the per-file processing job. */
export const PROCESS_JOB = 'file.process';

/** Key under which processing requests for one file merge while one is still queued. */
export const processJobKey = (tenant: string, fileId: string) => `${PROCESS_JOB}:${tenant}/${fileId}`;

/** The tenant used when a call names none. */
export const DEFAULT_TENANT = 'default';

/**
 * A stable event id for one logical event, so redeliveries and job retries carry the same id
 * and receivers can deduplicate.
 */
export function eventId(...parts: string[]): string {
  return `evt_${hash('sha256', parts.join('\u0000'), 'hex').slice(0, 26)}`;
}

/** ISO timestamp from the forge's clock. */
export const isoNow = (ctx: ForgeContext) => new Date(ctx.options.now()).toISOString();
