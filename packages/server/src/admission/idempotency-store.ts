/**
 * `Idempotency-Key` records (draft-ietf-httpapi-idempotency-key-header) in the catalog, one
 * per tenant, caller and key. A request claims its key before it stores anything; the claim
 * is a lease renewed by its server process, so a key a killed server left in flight becomes
 * claimable again once the lease runs out (and, on SQLite, at start-up). The first successful
 * answer is kept with a fingerprint of the content until the key expires.
 *
 * @module
 */
import type { Kysely } from 'kysely';

/** Who a key belongs to. */
export interface IdempotencyScope {
  tenant: string;
  /** The user (or API key) that sent the request. */
  principal: string;
  key: string;
}

/** The first answer given under a key. */
export interface IdempotentAnswer {
  /** What identifies the content (the stored files' SHA-256s, in order). */
  fingerprint: string;
  status: number;
  /** The response body, as sent. */
  response: string;
}

/** What {@link IdempotencyStore.claim} found. */
export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'in-flight' }
  | ({ state: 'answered' } & IdempotentAnswer);

/** The catalog's `idempotency_keys` table. */
export interface IdempotencyStore {
  /**
   * Claims a key for a new request (atomically: of two requests with one key, one claims it),
   * unless a live request holds it or an unexpired answer is kept under it.
   */
  claim(
    scope: IdempotencyScope,
    lease: { holder: string; leaseUntil: string; expiresAt: string; now: string },
  ): Promise<IdempotencyClaim>;
  /** Keeps the answer of the request that claimed the key. */
  answer(scope: IdempotencyScope, holder: string, answer: IdempotentAnswer): Promise<void>;
  /** Gives a claimed key up (the request failed): the next request with it runs afresh. */
  abandon(scope: IdempotencyScope, holder: string): Promise<void>;
  /** Extends the leases of the keys `holder` has in flight. */
  renew(holder: string, leaseUntil: string): Promise<void>;
  /** Drops every claim in flight (start-up of a single-process catalog). */
  abandonAll(): Promise<number>;
  /** Deletes expired keys; returns how many. */
  sweep(now: string): Promise<number>;
}

/** Creates the store over the catalog's query builder. */
// biome-ignore lint/suspicious/noExplicitAny: the admission tables are not in core's schema type
export function createIdempotencyStore(db: Kysely<any>): IdempotencyStore {
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const where = <Q extends { where: (...args: any[]) => Q }>(q: Q, s: IdempotencyScope): Q =>
    q.where('tenant', '=', s.tenant).where('principal', '=', s.principal).where('key', '=', s.key);

  return {
    async claim(scope, lease) {
      const fresh = {
        holder: lease.holder,
        lease_until: lease.leaseUntil,
        fingerprint: null,
        status: null,
        response: null,
        expires_at: lease.expiresAt,
      };
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({ tenant: scope.tenant, principal: scope.principal, key: scope.key, ...fresh })
        .onConflict((oc) => oc.columns(['tenant', 'principal', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { state: 'claimed' };
      // Expired, or left in flight by a request whose process died: start again.
      const taken = await where(db.updateTable('idempotency_keys').set(fresh), scope)
        .where((eb) =>
          eb.or([
            eb('expires_at', '<=', lease.now),
            eb.and([eb('status', 'is', null), eb('lease_until', '<=', lease.now)]),
          ]),
        )
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows ?? 0) === 1) return { state: 'claimed' };
      const row = await where(
        db.selectFrom('idempotency_keys').select(['fingerprint', 'status', 'response']),
        scope,
      ).executeTakeFirst();
      if (!row || row.status === null) return { state: 'in-flight' };
      return {
        state: 'answered',
        fingerprint: String(row.fingerprint ?? ''),
        status: Number(row.status),
        response: String(row.response ?? ''),
      };
    },

    async answer(scope, holder, answer) {
      await where(
        db.updateTable('idempotency_keys').set({
          fingerprint: answer.fingerprint,
          status: answer.status,
          response: answer.response,
          holder: null,
          lease_until: null,
        }),
        scope,
      )
        .where('holder', '=', holder)
        .execute();
    },

    async abandon(scope, holder) {
      await where(db.deleteFrom('idempotency_keys'), scope)
        .where('holder', '=', holder)
        .where('status', 'is', null)
        .execute();
    },

    async renew(holder, leaseUntil) {
      await db
        .updateTable('idempotency_keys')
        .set({ lease_until: leaseUntil })
        .where('holder', '=', holder)
        .where('status', 'is', null)
        .execute();
    },

    async abandonAll() {
      const result = await db.deleteFrom('idempotency_keys').where('status', 'is', null).executeTakeFirst();
      return Number(result.numDeletedRows ?? 0);
    },

    async sweep(now) {
      const result = await db
        .deleteFrom('idempotency_keys')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows ?? 0);
    },
  };
}
