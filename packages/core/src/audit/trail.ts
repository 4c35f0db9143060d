/**
 * The audit trail over the catalog's SQL database: append (one transaction that reads the
 * last entry and inserts the next), list (filtered, newest first, cursor-paginated) and
 * verify (walks the chain).
 *
 * How appends serialise: the append reads the last `seq` and `hash` and inserts `seq + 1`
 * in one transaction. On SQLite that transaction takes the write lock when it begins
 * (`BEGIN IMMEDIATE`): appends from other processes on the same catalog file (a server, its
 * CLI commands) wait for it (the connection's busy timeout) instead of reading a last entry
 * that another process replaces before they write, which SQLite refuses at once. On
 * PostgreSQL an exclusive table lock does the same. Should two writers still race, `seq` is
 * the primary key, so only one insert of a given seq commits and the other is retried on the
 * new last entry. The chain never forks.
 *
 * @module
 */
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../catalog/dialect.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import {
  type AuditRow,
  type AuditVerification,
  GENESIS_HASH,
  hashAuditRow,
  verifyAuditChain,
} from './chain.js';
import type { AuditEntry, AuditInput } from './entry.js';
import { sanitizeDetails } from './redact.js';

interface AuditDatabase {
  audit_log: AuditRow;
}

/** A UTF-16 surrogate not part of a pair (with the `u` flag, pairs are one code point). */
const LONE_SURROGATE = /\p{Cs}/gu;
/** Filters of {@link AuditTrail.list}; all optional, combined with AND. */
export interface AuditQuery {
  /** Entries of this tenant only (`undefined`: every tenant). */
  tenant?: string;
  /** Also installation-wide entries (tenant null) next to `tenant`'s. @default false */
  includeInstallationWide?: boolean;
  /** An exact action (`file.upload`) or a prefix ending in `.*` (`auth.*`). */
  action?: string;
  /** The actor's user or API key id. */
  actorId?: string;
  targetType?: string;
  targetId?: string;
  /** ISO time: entries at or after it. */
  since?: string;
  /** ISO time: entries before it. */
  until?: string;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1–500. @default 50 */
  limit?: number;
}

/** One page of entries, newest first. */
export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Options of {@link AuditTrail.record}. */
export interface AuditRecordOptions {
  /**
   * A transaction to append in (e.g. `tx.db()` inside `catalog.transaction`), so the entry
   * commits with the state change it describes. @default its own transaction
   */
  db?: Kysely<unknown>;
}

/** The append-only audit trail. */
export interface AuditTrail {
  /** Appends one entry; resolves with it once committed (or once the given transaction is on). */
  record(input: AuditInput, options?: AuditRecordOptions): Promise<AuditEntry>;
  /** Entries matching `query`, newest first. */
  list(query?: AuditQuery): Promise<AuditPage>;
  /** Walks the whole chain in order; see {@link verifyAuditChain}. */
  verify(): Promise<AuditVerification>;
}

/** Options of {@link createAuditTrail}. */
export interface AuditTrailOptions {
  /** Clock for `at`. @default Date.now */
  now?: () => number;
  /** Refuse `record()` (a trail opened read-only, e.g. by `fileforge audit verify`). @default false */
  readOnly?: boolean;
}

const MAX_ATTEMPTS = 5;
const VERIFY_BATCH = 1000;

/** True for a lost race: another writer took the seq, or SQLite refused the write upgrade. */
const lostRace = (error: unknown): boolean => {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as Error)?.message ?? ''} ${
    (error as { cause?: { code?: unknown } })?.cause?.code ?? ''
  }`;
  return /SQLITE_BUSY|database is locked|SQLITE_CONSTRAINT_PRIMARYKEY|UNIQUE constraint failed: audit_log|duplicate key/i.test(
    text,
  );
};

/**
 * Runs `fn` in a SQLite transaction that holds the write lock from its start (`BEGIN
 * IMMEDIATE`), so a writer in another process waits for it rather than fail on commit.
 */
async function immediateTransaction<T>(
  db: Kysely<AuditDatabase>,
  fn: (conn: Kysely<AuditDatabase>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw error;
    }
  });
}

/** A stored row as an {@link AuditEntry}. */
export function auditEntryOf(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    tenant: row.tenant,
    actor: { type: row.actor_type as AuditEntry['actor']['type'], id: row.actor_id },
    action: row.action,
    target: { type: row.target_type, id: row.target_id, name: row.target_name },
    requestId: row.request_id,
    clientAddress: row.client_address,
    details: JSON.parse(row.details) as AuditEntry['details'],
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Creates the audit trail over a SQL catalog's query builder (`catalog.db()`); the table comes
 * from {@link auditMigrations}, which `createForge` applies.
 *
 * @example
 * ```ts
 * await forge.audit.record({ tenant: 'default', actor: { type: 'system', id: null },
 *   action: 'encryption.key_rotate', details: { keyId: 'k2', rewrapped: 120 } });
 * const { ok, broken } = await forge.audit.verify();
 * ```
 */
export function createAuditTrail(database: Kysely<unknown>, options: AuditTrailOptions = {}): AuditTrail {
  const db = database as unknown as Kysely<AuditDatabase>;
  const now = options.now ?? Date.now;

  /**
   * Text as the catalog will give it back: a lone UTF-16 surrogate (from a request's JSON, say)
   * is stored as U+FFFD by both engines, so the hash is taken over that, or every later
   * `verify` would see the entry changed.
   */
  const wellFormed = (text: string) => text.replace(LONE_SURROGATE, '\uFFFD');
  const nullableWellFormed = (text: string | null | undefined) => (text == null ? null : wellFormed(text));

  async function append(trx: Kysely<AuditDatabase>, input: AuditInput): Promise<AuditRow> {
    // PostgreSQL runs writers side by side: appends queue here (readers are not blocked) instead
    // of racing for the next seq and retrying; SQLite's single writer does the same by itself.
    if (isPostgres(trx)) await sql`lock table audit_log in exclusive mode`.execute(trx);
    const last = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const fields: Omit<AuditRow, 'hash'> = {
      seq: Number(last?.seq ?? 0) + 1,
      at: new Date(now()).toISOString(),
      tenant: nullableWellFormed(input.tenant),
      actor_type: input.actor.type,
      actor_id: nullableWellFormed(input.actor.id),
      action: input.action,
      target_type: nullableWellFormed(input.target?.type),
      target_id: nullableWellFormed(input.target?.id),
      target_name: nullableWellFormed(input.target?.name),
      request_id: nullableWellFormed(input.requestId),
      client_address: nullableWellFormed(input.clientAddress),
      // Stored as JSON text: names with newlines or braces stay data, never a line format.
      details: JSON.stringify(sanitizeDetails(input.details ?? {})),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const row: AuditRow = { ...fields, hash: hashAuditRow(fields) };
    await trx.insertInto('audit_log').values(row).execute();
    return row;
  }

  return {
    async record(input, recordOptions = {}) {
      if (options.readOnly) {
        throw new FileForgeError(
          ErrorCode.CATALOG_UNAVAILABLE,
          '[fileforge:audit] This audit trail was opened read-only',
        );
      }
      const outer = recordOptions.db as Kysely<AuditDatabase> | undefined;
      if (outer?.isTransaction) return auditEntryOf(await append(outer, input));
      for (let attempt = 1; ; attempt++) {
        try {
          const row = isPostgres(db)
            ? await db.transaction().execute((trx) => append(trx, input))
            : await immediateTransaction(db, (conn) => append(conn, input));
          return auditEntryOf(row);
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !lostRace(error)) throw error;
        }
      }
    },

    async list(query = {}) {
      const limit = Math.min(500, Math.max(1, Math.trunc(query.limit ?? 50)));
      let q = db.selectFrom('audit_log').selectAll();
      if (query.tenant !== undefined) {
        const tenant = query.tenant;
        q = query.includeInstallationWide
          ? q.where((eb) => eb.or([eb('tenant', '=', tenant), eb('tenant', 'is', null)]))
          : q.where('tenant', '=', tenant);
      }
      if (query.action?.endsWith('.*'))
        q = q.where('action', 'like', `${query.action.slice(0, -1).replace(/[%_\\]/g, '')}%`);
      else if (query.action) q = q.where('action', '=', query.action);
      if (query.actorId) q = q.where('actor_id', '=', query.actorId);
      if (query.targetType) q = q.where('target_type', '=', query.targetType);
      if (query.targetId) q = q.where('target_id', '=', query.targetId);
      if (query.since) q = q.where('at', '>=', new Date(query.since).toISOString());
      if (query.until) q = q.where('at', '<', new Date(query.until).toISOString());
      if (query.cursor) {
        const before = Number(query.cursor);
        if (!Number.isSafeInteger(before) || before < 1) {
          throw new FileForgeError(
            ErrorCode.BAD_REQUEST,
            `[fileforge:audit] Invalid cursor "${query.cursor}"`,
          );
        }
        q = q.where('seq', '<', before);
      }
      const rows = await q
        .orderBy('seq', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map(auditEntryOf);
      return { items, nextCursor: rows.length > limit ? String(items.at(-1)!.seq) : null };
    },

    verify() {
      return verifyAuditChain(rowsInOrder(db));
    },
  };
}

/** Every row in `seq` order, read in batches so a long trail never sits in memory at once. */
async function* rowsInOrder(db: Kysely<AuditDatabase>): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(VERIFY_BATCH)
      .execute();
    yield* rows;
    if (rows.length < VERIFY_BATCH) return;
    after = Number(rows.at(-1)!.seq);
  }
}

/** The trail of a forge whose catalog has no SQL database: every call fails with the reason. */
export function auditUnavailable(): AuditTrail {
  const fail = async (): Promise<never> => {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:audit] The audit trail needs a SQL catalog (Catalog.db()); this catalog has none',
    );
  };
  return { record: fail, list: fail, verify: fail };
}
