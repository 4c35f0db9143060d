import type { Kysely } from 'kysely';
import type { OutboxAppend, OutboxStore } from '../catalog.js';
import { outboxFromRow } from '../rows.js';
import type { CatalogDatabase } from '../schema.js';

/** Entries per `insert`: 5 bound values each, well under SQLite's limit on parameters. */
const APPEND_ROWS = 100;

const outboxRow = (entry: OutboxAppend) => ({
  event_id: entry.id,
  type: entry.type,
  stream: entry.stream,
  payload: JSON.stringify(entry.payload),
  created_at: entry.createdAt,
});

/**
 * Appends `entries` in order with one multi-row `insert` per {@link APPEND_ROWS}, an id already
 * there appending nothing (as {@link OutboxStore.append} does one at a time). Call it with the
 * transaction of the change that causes the events, so `seq` follows the entries' order.
 *
 * @returns how many entries were new
 */
export async function appendOutboxEntries(
  db: Kysely<CatalogDatabase>,
  entries: readonly OutboxAppend[],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < entries.length; i += APPEND_ROWS) {
    const result = await db
      .insertInto('event_outbox')
      .values(entries.slice(i, i + APPEND_ROWS).map(outboxRow))
      .onConflict((oc) => oc.column('event_id').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/**
 * The durable event outbox over Kysely, for every SQL dialect. Entries are appended inside the
 * transaction of the state change that causes them (through `catalog.transaction`), so an event
 * exists exactly when its change committed; `seq` is assigned by the database in commit order
 * of the appends on SQLite (one writer at a time).
 */
export function createOutboxStore(db: Kysely<CatalogDatabase>): OutboxStore {
  return {
    async append(entry) {
      // A logical event keeps one id: a retried change appends nothing new.
      return (await appendOutboxEntries(db, [entry])) > 0;
    },

    async listUndelivered({ afterSeq = 0, limit }) {
      const rows = await db
        .selectFrom('event_outbox')
        .selectAll()
        .where('delivered_at', 'is', null)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(outboxFromRow);
    },

    async markDelivered(seqs, at, lastError) {
      if (seqs.length === 0) return;
      await db
        .updateTable('event_outbox')
        .set({ delivered_at: at, ...(lastError === undefined ? {} : { last_error: lastError }) })
        .where('seq', 'in', seqs)
        .execute();
    },

    async deferDelivery(seq, retry) {
      await db
        .updateTable('event_outbox')
        .set({
          attempts: retry.attempts,
          next_attempt_at: retry.nextAttemptAt,
          last_error: retry.lastError,
        })
        .where('seq', '=', seq)
        .execute();
    },

    async prune(before) {
      const result = await db
        .deleteFrom('event_outbox')
        .where('delivered_at', 'is not', null)
        .where('delivered_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async countUndelivered() {
      const row = await db
        .selectFrom('event_outbox')
        .select(db.fn.countAll<number>().as('n'))
        .where('delivered_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
