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

/**
 * A stable event id, as {@link eventId}, for an event of something with a time-ordered id
 * (a file, a run): `evt_` + that id + a digest of the other `parts`. Such ids grow with time,
 * so the outbox's event-id index takes them at its end instead of on a random page each: a
 * batch of them dirties a few pages, not one per event, which is most of what storing an
 * event costs on SQLite.
 */
export function orderedEventId(ordered: string, ...parts: string[]): string {
  return `evt_${ordered}${hash('sha256', parts.join('\u0000'), 'hex').slice(0, 16)}`;
}

/** ISO timestamp from the forge's clock. */
export const isoNow = (ctx: ForgeContext) => new Date(ctx.options.now()).toISOString();
