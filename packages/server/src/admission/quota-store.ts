/**
 * Per-tenant quotas (bytes and files) and the reservations of uploads in flight, in the
 * catalog.
 *
 * How this works: usage is computed from the `files` table, so it is right after deletes,
 * dedupe and crashes by construction: `files` counts every record (a duplicate is a file the
 * user sees), `bytes` counts each stored blob once (a duplicate sharing its original's blob
 * adds nothing; with `DEDUPE_STORE_ONCE=false` it has a blob of its own and counts). Derivatives
 * (thumbnails, previews) are not counted. An upload in flight holds a reservation (its
 * declared length, or its running count) that counts until it commits or fails. Checking and
 * reserving happen in one transaction that, on PostgreSQL, holds a per-tenant advisory lock,
 * and on SQLite runs alone on the catalog's one connection: of two uploads racing for the
 * last bytes, one gets them. A reservation has a holder and an expiry: a live server renews
 * its own; one a killed server left behind stops counting when it expires (and, on SQLite,
 * which one process owns, is dropped at start-up).
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** A tenant's limits; `null` means unlimited. */
export interface TenantQuota {
  maxBytes: number | null;
  maxFiles: number | null;
}

/** What a tenant stores, and what its uploads in flight have reserved. */
export interface TenantUsage {
  /** Bytes of the tenant's stored blobs (each blob once). */
  bytes: number;
  /** The tenant's file records. */
  files: number;
  /** Bytes reserved by uploads in flight. */
  reservedBytes: number;
  /** Files reserved by uploads in flight. */
  reservedFiles: number;
}

/** One upload's claim on its tenant's quota. */
export interface Reservation {
  /** Unique per upload (`tus:<upload id>`, or a random id for a multipart request). */
  id: string;
  tenant: string;
  /** Who renews it: a server process's instance id, or `tus` (resumable uploads outlive processes). */
  holder: string;
  /** Total bytes reserved (replaces an earlier amount of the same id). */
  bytes: number;
  /** Total files reserved. */
  files: number;
  /** ISO 8601: when it stops counting unless renewed. */
  expiresAt: string;
}

/** The catalog's quota tables. */
export interface QuotaStore {
  get(tenant: string): Promise<TenantQuota | null>;
  /** Sets a tenant's limits; both `null` removes them. */
  set(tenant: string, quota: TenantQuota, now: string): Promise<void>;
  usage(tenant: string, now: string): Promise<TenantUsage>;
  /**
   * Sets reservation `id` to the given totals if the tenant's quota allows them beside its
   * usage and the other live reservations; throws 413 `QUOTA_EXCEEDED` otherwise (an earlier
   * amount of the same id stays). A tenant without a quota reserves nothing: resolves `false`.
   */
  reserve(reservation: Reservation, now: string): Promise<boolean>;
  release(id: string): Promise<void>;
  /** Extends every reservation of `holder` to `expiresAt`. */
  renew(holder: string, expiresAt: string): Promise<void>;
  /** Drops every reservation of the holders not in `keep` (start-up of a single-process catalog). */
  releaseAllExcept(keep: readonly string[]): Promise<number>;
  /** Deletes expired reservations; returns how many. */
  sweep(now: string): Promise<number>;
}

const num = (v: unknown) => Number(v ?? 0);

/** Creates the quota store over the catalog's query builder. */
// biome-ignore lint/suspicious/noExplicitAny: the admission tables are not in core's schema type
export function createQuotaStore(db: Kysely<any>): QuotaStore {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  // biome-ignore lint/suspicious/noExplicitAny: see above
  async function usageOn(q: Kysely<any>, tenant: string, now: string, except?: string): Promise<TenantUsage> {
    const blobs = q
      .selectFrom('files')
      .select(['blob_key', sql<number>`max(size)`.as('size')])
      .where('tenant', '=', tenant)
      .groupBy('blob_key')
      .as('b');
    const stored = await q
      .selectFrom(blobs)
      .select([sql<string>`coalesce(sum(b.size), 0)`.as('bytes'), sql<string>`count(*)`.as('blobs')])
      .executeTakeFirst();
    const files = await q
      .selectFrom('files')
      .select(sql<string>`count(*)`.as('n'))
      .where('tenant', '=', tenant)
      .executeTakeFirst();
    let reserved = q
      .selectFrom('upload_reservations')
      .select([
        sql<string>`coalesce(sum(bytes), 0)`.as('bytes'),
        sql<string>`coalesce(sum(files), 0)`.as('files'),
      ])
      .where('tenant', '=', tenant)
      .where('expires_at', '>', now);
    if (except) reserved = reserved.where('id', '!=', except);
    const r = await reserved.executeTakeFirst();
    return {
      bytes: num(stored?.bytes),
      files: num(files?.n),
      reservedBytes: num(r?.bytes),
      reservedFiles: num(r?.files),
    };
  }

  // biome-ignore lint/suspicious/noExplicitAny: see above
  async function quotaOn(q: Kysely<any>, tenant: string): Promise<TenantQuota | null> {
    const row = await q
      .selectFrom('tenant_quotas')
      .select(['max_bytes', 'max_files'])
      .where('tenant', '=', tenant)
      .executeTakeFirst();
    if (!row) return null;
    return {
      maxBytes: row.max_bytes === null ? null : Number(row.max_bytes),
      maxFiles: row.max_files === null ? null : Number(row.max_files),
    };
  }

  return {
    get: (tenant) => quotaOn(db, tenant),

    async set(tenant, quota, now) {
      if (quota.maxBytes === null && quota.maxFiles === null) {
        await db.deleteFrom('tenant_quotas').where('tenant', '=', tenant).execute();
        return;
      }
      const row = { max_bytes: quota.maxBytes, max_files: quota.maxFiles, updated_at: now };
      await db
        .insertInto('tenant_quotas')
        .values({ tenant, ...row })
        .onConflict((oc) => oc.column('tenant').doUpdateSet(row))
        .execute();
    },

    usage: (tenant, now) => usageOn(db, tenant, now),

    reserve(reservation, now) {
      return db.transaction().execute(async (trx) => {
        if (postgres) {
          await sql`select pg_advisory_xact_lock(hashtext(${`fileforge:quota:${reservation.tenant}`}))`.execute(
            trx,
          );
        }
        const quota = await quotaOn(trx, reservation.tenant);
        if (!quota) return false;
        const usage = await usageOn(trx, reservation.tenant, now, reservation.id);
        const usedBytes = usage.bytes + usage.reservedBytes;
        const usedFiles = usage.files + usage.reservedFiles;
        const overBytes = quota.maxBytes !== null && usedBytes + reservation.bytes > quota.maxBytes;
        const overFiles = quota.maxFiles !== null && usedFiles + reservation.files > quota.maxFiles;
        if (overBytes || overFiles) {
          throw new FileForgeError(
            ErrorCode.QUOTA_EXCEEDED,
            overBytes
              ? `This upload would exceed the tenant's storage quota of ${quota.maxBytes} bytes`
              : `This upload would exceed the tenant's quota of ${quota.maxFiles} files`,
            {
              details: {
                limit: overBytes ? quota.maxBytes : quota.maxFiles,
                used: overBytes ? usedBytes : usedFiles,
                requested: overBytes ? reservation.bytes : reservation.files,
                unit: overBytes ? 'bytes' : 'files',
                maxBytes: quota.maxBytes,
                maxFiles: quota.maxFiles,
                usedBytes,
                usedFiles,
              },
            },
          );
        }
        const row = {
          tenant: reservation.tenant,
          holder: reservation.holder,
          bytes: reservation.bytes,
          files: reservation.files,
          expires_at: reservation.expiresAt,
        };
        await trx
          .insertInto('upload_reservations')
          .values({ id: reservation.id, ...row })
          .onConflict((oc) => oc.column('id').doUpdateSet(row))
          .execute();
        return true;
      });
    },

    async release(id) {
      await db.deleteFrom('upload_reservations').where('id', '=', id).execute();
    },

    async renew(holder, expiresAt) {
      await db
        .updateTable('upload_reservations')
        .set({ expires_at: expiresAt })
        .where('holder', '=', holder)
        .execute();
    },

    async releaseAllExcept(keep) {
      let q = db.deleteFrom('upload_reservations');
      if (keep.length > 0) q = q.where('holder', 'not in', [...keep]);
      const result = await q.executeTakeFirst();
      return Number(result.numDeletedRows ?? 0);
    },

    async sweep(now) {
      const result = await db
        .deleteFrom('upload_reservations')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows ?? 0);
    },
  };
}
