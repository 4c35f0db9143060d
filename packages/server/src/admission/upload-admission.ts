/**
 * Upload admission: the checks every new upload — a multipart `POST /api/v1/files` or a tus
 * creation — passes before its bytes are stored, over one quota store in the catalog.
 *
 * - Backpressure: while the processing queue holds `queueMaxDepth` unfinished jobs or more,
 *   new uploads get 503 `BUSY` with `Retry-After`; files already accepted keep their jobs.
 * - Quotas: an upload reserves its declared length (or its running count as bytes arrive)
 *   and one file per file part; see {@link QuotaStore}.
 * - Idempotency keys: see {@link IdempotencyStore}.
 *
 * This process renews its reservations and key leases on a timer; on a SQLite catalog, which
 * one process owns, what a killed predecessor left is dropped at start-up instead.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, FileForgeError, type Forge, runMigrations } from '@fileforge/core';
import { PostgresAdapter } from 'kysely';
import { createPeriodicTask, type PeriodicTask } from '../periodic-task.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import { admissionMigrations } from './migrations.js';
import { createQuotaStore, type QuotaStore } from './quota-store.js';

/** Holder of resumable (tus) uploads' reservations: they outlive processes and expire with the upload. */
export const TUS_HOLDER = 'tus';

/** Options for {@link createUploadAdmission}. */
export interface UploadAdmissionOptions {
  /**
   * QUEUE_MAX_DEPTH: new uploads are refused with 503 `BUSY` while the processing queue holds
   * this many unfinished (pending or running) jobs. `0` disables the check. @default 0
   */
  queueMaxDepth?: number;
  /**
   * The forge's queue is the in-process one, whose jobs live in the catalog (no REDIS_URL):
   * the depth is then counted as the catalog's unfinished `file.process` jobs, an index range
   * (~0.1 ms beside 200,000 finished jobs on SQLite) instead of the queue's `stats()`, which
   * counts every job by status (~50 ms there). @default false (`stats()`: right for any queue)
   */
  queueInCatalog?: boolean;
  /** `Retry-After` of a `BUSY` refusal, in seconds. @default 5 */
  busyRetryAfterSeconds?: number;
  /**
   * How long a reservation or a key in flight outlives the process holding it (renewed every
   * third of it): a killed server's reservations stop counting this long after it died.
   * @default 60000
   */
  leaseMs?: number;
  /** How long an `Idempotency-Key` answer is kept. @default 24 hours */
  idempotencyTtlMs?: number;
  /** Clock. @default Date.now */
  now?: () => number;
}

/** A reservation held by one upload in flight. */
export interface UploadReservation {
  /** Raises the reservation to these totals; throws `QUOTA_EXCEEDED` when they do not fit. */
  resize(bytes: number, files: number): Promise<void>;
  /** Current totals reserved. */
  readonly bytes: number;
  readonly files: number;
  /** Gives the reservation back (idempotent; never throws). */
  release(): Promise<void>;
}

/** See the module comment. */
export interface UploadAdmission {
  readonly quotas: QuotaStore;
  readonly idempotency: IdempotencyStore;
  /** This process's holder id (renews its reservations and key leases). */
  readonly holder: string;
  /** How long a key's answer is kept, in milliseconds. */
  readonly idempotencyTtlMs: number;
  /** How long a lease lasts unless renewed, in milliseconds. */
  readonly leaseMs: number;
  now(): number;
  /** Throws 503 `BUSY` (with `retryAfterSeconds`) while the processing queue is over its depth. */
  checkQueue(): Promise<void>;
  /**
   * Reserves `bytes` and `files` of the tenant's quota for an upload; throws `QUOTA_EXCEEDED`.
   * `id` and `holder`/`expiresAt` name a long-lived reservation (tus); by default it is this
   * process's, renewed while it lives.
   */
  reserve(
    tenant: string,
    amount: { bytes: number; files: number },
    long?: { id: string; holder: string; expiresAt: string },
  ): Promise<UploadReservation>;
  close(): Promise<void>;
}

/**
 * Migrates the admission tables and starts the lease renewal.
 *
 * @example
 * ```ts
 * const admission = await createUploadAdmission(forge, { queueMaxDepth: 1000 });
 * await admission.checkQueue();
 * const reservation = await admission.reserve('default', { bytes: 1024, files: 1 });
 * ```
 */
export async function createUploadAdmission(
  forge: Pick<Forge, 'catalog' | 'queue'>,
  options: UploadAdmissionOptions = {},
): Promise<UploadAdmission> {
  const db = forge.catalog.db?.();
  if (!db) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:admission] Upload admission needs a SQL catalog (SQLite or PostgreSQL)',
    );
  }
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? 60_000;
  const idempotencyTtlMs = options.idempotencyTtlMs ?? 24 * 3_600_000;
  const queueMaxDepth = options.queueMaxDepth ?? 0;
  const retryAfterSeconds = options.busyRetryAfterSeconds ?? 5;
  const holder = `server:${randomBytes(8).toString('hex')}`;
  const iso = (ms: number) => new Date(ms).toISOString();

  await runMigrations(db, [admissionMigrations]);
  const quotas = createQuotaStore(db);
  const idempotency = createIdempotencyStore(db);
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    // A SQLite catalog belongs to this one process: whatever a previous one held died with it.
    await quotas.releaseAllExcept([TUS_HOLDER]);
    await idempotency.abandonAll();
  }

  let runs = 0;
  const renewal: PeriodicTask = createPeriodicTask({
    intervalMs: Math.max(100, Math.floor(leaseMs / 3)),
    run: async () => {
      const until = iso(now() + leaseMs);
      await quotas.renew(holder, until);
      await idempotency.renew(holder, until);
      // Expired rows are ignored by every query; removing them is housekeeping.
      if (runs++ % 60 === 0) {
        await quotas.sweep(iso(now()));
        await idempotency.sweep(iso(now()));
      }
    },
    onError: () => {},
  });

  return {
    quotas,
    idempotency,
    holder,
    idempotencyTtlMs,
    leaseMs,
    now,

    async checkQueue() {
      if (queueMaxDepth <= 0) return;
      // The in-process queue keeps its jobs in the catalog: count the unfinished ones there,
      // not every job by status as its stats() does. BullMQ counts cheaply in Redis.
      const depth = options.queueInCatalog
        ? await forge.catalog.jobs.countUnfinished(['file.process'])
        : await forge.queue.stats().then((s) => s.pending + s.running);
      if (depth < queueMaxDepth) return;
      throw new FileForgeError(ErrorCode.BUSY, 'The processing queue is full; retry later', {
        details: { retryAfterSeconds, queueDepth: depth, limit: queueMaxDepth },
      });
    },

    async reserve(tenant, amount, long) {
      const id = long?.id ?? `req:${randomBytes(12).toString('hex')}`;
      const owner = long?.holder ?? holder;
      let bytes = 0;
      let files = 0;
      let held = false;
      let unlimited = false;
      let released = false;
      const resize = async (nextBytes: number, nextFiles: number) => {
        // A tenant without a quota at the start is not metered for the rest of this upload.
        if (released || unlimited) return;
        held = await quotas.reserve(
          {
            id,
            tenant,
            holder: owner,
            bytes: nextBytes,
            files: nextFiles,
            expiresAt: long?.expiresAt ?? iso(now() + leaseMs),
          },
          iso(now()),
        );
        unlimited = !held;
        bytes = nextBytes;
        files = nextFiles;
      };
      await resize(amount.bytes, amount.files);
      return {
        resize,
        get bytes() {
          return bytes;
        },
        get files() {
          return files;
        },
        async release() {
          if (released) return;
          released = true;
          if (held) await quotas.release(id).catch(() => {});
        },
      };
    },

    close: () => renewal.stop(),
  };
}
