import { type Kysely, sql } from 'kysely';
import type { OutboxAppend, OutboxEntry, OutboxStore } from '../catalog.js';
import { isPostgres } from '../dialect.js';
import { type QueryTemplates, templatesOf } from '../query-templates.js';
import { outboxFromRow } from '../rows.js';
import type { CatalogDatabase } from '../schema.js';
import { transact } from '../transact.js';

type ClaimRequest = Parameters<OutboxStore['claim']>[0];

/** Entries per `insert`: 5 bound values each, well under SQLite's limit on parameters. */
const APPEND_ROWS = 100;

/**
 * An entry whose payload is already JSON text: written as it is (built from stored JSON, so
 * not parsed and serialized again). A listener sees `JSON.parse(payloadJson)`.
 */
export type SerializedOutboxAppend = Omit<OutboxAppend, 'payload'> & { payloadJson: string };

const outboxRow = (entry: OutboxAppend | SerializedOutboxAppend) => ({
  event_id: entry.id,
  type: entry.type,
  stream: entry.stream,
  payload: 'payloadJson' in entry ? entry.payloadJson : JSON.stringify(entry.payload),
  created_at: entry.createdAt,
  delivered_at: entry.deliveredAt ?? null,
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
  entries: readonly (OutboxAppend | SerializedOutboxAppend)[],
  templates?: QueryTemplates,
): Promise<number> {
  const only = entries.length === 1 ? entries[0] : undefined;
  if (templates && only) {
    // One event, the usual case: compiled once (see query-templates.ts). One nobody can hear
    // is stored delivered (`delivered_at` set); otherwise it is null, as the column's default.
    const row = outboxRow(only);
    const result = await templates.run(
      db,
      'outbox:append',
      [row.event_id, row.type, row.stream, row.payload, row.created_at, row.delivered_at],
      (event_id, type, stream, payload, created_at, delivered_at) =>
        db
          .insertInto('event_outbox')
          .values({
            event_id: event_id!,
            type: type!,
            stream: stream!,
            payload: payload!,
            created_at: created_at!,
            delivered_at: delivered_at as string | null,
          })
          .onConflict((oc) => oc.column('event_id').doNothing()),
    );
    return Number(result.numAffectedRows ?? 0n);
  }
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
 * The claim statement: `UPDATE … WHERE seq IN (SELECT … ORDER BY seq LIMIT n) RETURNING *`. A
 * candidate is undelivered, due, free (unclaimed, its claim expired, or the owner's own) and
 * heads its stream: no earlier undelivered entry of the stream waits for a retry or is held by
 * another owner (found by the partial index `event_outbox_undelivered_stream_seq`). Built once per catalog (query template).
 */
function claimStatement(db: Kysely<CatalogDatabase>, request: ClaimRequest, on = db) {
  const { owner, now, until, limit } = request;
  return templatesOf(db).run(on, 'outbox:claim', [owner, now, until, limit], (owner, now, until, limit) => {
    const candidates = db
      .selectFrom('event_outbox as e')
      .select('e.seq')
      .where('e.delivered_at', 'is', null)
      .where((eb) => eb.or([eb('e.next_attempt_at', 'is', null), eb('e.next_attempt_at', '<=', now!)]))
      .where((eb) =>
        eb.or([
          eb('e.claimed_until', 'is', null),
          eb('e.claimed_until', '<=', now!),
          eb('e.claimed_by', '=', owner!),
        ]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('event_outbox as p')
              .select('p.seq')
              .whereRef('p.stream', '=', 'e.stream')
              .whereRef('p.seq', '<', 'e.seq')
              .where('p.delivered_at', 'is', null)
              .where((eb) =>
                eb.or([
                  eb('p.next_attempt_at', '>', now!),
                  eb.and([eb('p.claimed_until', '>', now!), eb('p.claimed_by', '!=', owner!)]),
                ]),
              ),
          ),
        ),
      )
      .orderBy('e.seq')
      .limit(limit as unknown as number);
    return db
      .updateTable('event_outbox')
      .set({ claimed_by: owner!, claimed_until: until! })
      .where('seq', 'in', candidates)
      .where('delivered_at', 'is', null)
      .returningAll();
  });
}

/**
 * Claims entries (see {@link OutboxStore.claim}). On SQLite the one statement is atomic: one
 * writer at a time, and a statement sees no other's changes half-way. PostgreSQL runs claims
 * side by side, each on its snapshot: one could take a stream's later entry while another
 * commits the claim of its earlier one. So there a claim runs in a transaction holding the
 * schema's outbox advisory lock: claims queue for a few milliseconds, and each sees the
 * claims committed before it (a statement's snapshot starts after the lock is granted).
 */
async function claimEntries(db: Kysely<CatalogDatabase>, request: ClaimRequest): Promise<OutboxEntry[]> {
  const rows = isPostgres(db)
    ? await transact(db, async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext('fileforge:outbox:' || current_schema()))`.execute(
          trx,
        );
        return (await claimStatement(db, request, trx)).rows;
      })
    : (await claimStatement(db, request)).rows;
  return rows.map(outboxFromRow).sort((a, b) => a.seq - b.seq);
}

/**
 * The durable event outbox over Kysely, for every SQL dialect. Entries are appended inside the
 * transaction of the state change that causes them (through `catalog.transaction`), so an event
 * exists exactly when its change committed; `seq` is assigned by the database in commit order
 * of the appends on SQLite (one writer at a time). Dispatchers in several processes share it
 * through {@link OutboxStore.claim}.
 */
export function createOutboxStore(db: Kysely<CatalogDatabase>, templates = templatesOf(db)): OutboxStore {
  return {
    async append(entry) {
      // A logical event keeps one id: a retried change appends nothing new.
      return (await appendOutboxEntries(db, [entry], templates)) > 0;
    },

    async listStream(stream, { limit }) {
      const rows = await db
        .selectFrom('event_outbox')
        .selectAll()
        .where('stream', '=', stream)
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      return rows.map(outboxFromRow).reverse();
    },

    async listUndelivered({ afterSeq = 0, limit }) {
      const { rows } = await templates.run(db, 'outbox:undelivered', [afterSeq, limit], (afterSeq, limit) =>
        db
          .selectFrom('event_outbox')
          .selectAll()
          .where('delivered_at', 'is', null)
          .where('seq', '>', afterSeq as unknown as number)
          .orderBy('seq')
          .limit(limit as unknown as number),
      );
      return rows.map(outboxFromRow);
    },

    claim(request) {
      return claimEntries(db, request);
    },

    async markDelivered(seqs, at, lastError) {
      if (seqs.length === 0) return;
      if (lastError === undefined && seqs.length <= 8) {
        // The usual pass (a few entries, none given up on): compiled once per count.
        await templates.run(db, `outbox:delivered:${seqs.length}`, [at, ...seqs], (at, ...seqs) =>
          db
            .updateTable('event_outbox')
            .set({ delivered_at: at! })
            .where('seq', 'in', seqs as unknown as number[]),
        );
        return;
      }
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
