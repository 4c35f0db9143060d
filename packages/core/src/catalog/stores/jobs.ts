import { type Insertable, type Kysely, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../../errors/index.js';
import type { JobRecord, JobStatus } from '../../model/index.js';
import type { JobStore } from '../catalog.js';
import { createGroupCommit } from '../group-commit.js';
import { createQueryTemplates, type QueryTemplates } from '../query-templates.js';
import { jobFromRow } from '../rows.js';
import type { CatalogDatabase, JobsTable } from '../schema.js';
import { transact } from '../transact.js';
import { claimLocked, claimSerial } from './job-claims.js';
import { PENDING_STATUS, RUNNING_STATUS } from './job-status.js';

/** Options for {@link createJobStore}. */
export interface JobStoreOptions {
  /** The engine runs transactions concurrently and supports `FOR UPDATE SKIP LOCKED` (PostgreSQL). */
  rowLocks: boolean;
  /** Opens a transaction on `db` (the catalog's, which may run compiled queries faster). @default `db.transaction().execute` */
  transaction?<T>(fn: (trx: Kysely<CatalogDatabase>) => Promise<T>): Promise<T>;
}

const PENDING = sql<boolean>`status = 'pending'`;

function jobToRow(job: JobRecord): Insertable<JobsTable> {
  return {
    id: job.id,
    type: job.type,
    payload: JSON.stringify(job.payload),
    dedupe_key: job.key,
    status: job.status,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    run_at: job.runAt,
    last_error: job.lastError,
    lease_owner: job.leaseOwner,
    lease_token: null,
    lease_expires_at: job.leaseExpiresAt,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
  };
}

/**
 * Leased job state over Kysely, for every SQL dialect.
 *
 * Claims are in `job-claims.ts`: on PostgreSQL one `UPDATE` over `FOR UPDATE SKIP LOCKED`
 * candidates, on SQLite a candidates' select and an `UPDATE` that re-checks each job. Every
 * later change names the claim's token, so a holder whose lease was taken over changes nothing.
 * One pending job per key is enforced by a partial unique index (`jobs_pending_key`). Inserts,
 * claims and outcomes share commits with the others asked for in the same turn of the event
 * loop (group commit); each resolves once committed.
 */
export function createJobStore(
  db: Kysely<CatalogDatabase>,
  now: () => string,
  options: JobStoreOptions = { rowLocks: false },
): JobStore {
  // The queue's statements run a few times a job: compiled once (see query-templates.ts).
  const templates = createQueryTemplates();
  const bound = new WeakMap<Kysely<CatalogDatabase>, JobStore>();
  const on = (handle: Kysely<CatalogDatabase>) => {
    let store = bound.get(handle);
    if (!store) {
      store = jobStatements(handle, now, options, templates);
      bound.set(handle, store);
    }
    return store;
  };
  // Inserts, claims and outcomes asked for in one turn share a commit (see group-commit.ts):
  // each still resolves only once committed.
  const group = createGroupCommit<Kysely<CatalogDatabase>>({
    transaction: options.transaction ?? ((fn) => db.transaction().execute(fn)),
    direct: db,
  });
  return {
    ...on(db),
    insert: (job) => group.write((h) => on(h).insert(job), true),
    // Two statements on SQLite, safe apart (the update re-checks each job): alone, no transaction.
    claim: (request) => group.write((h) => on(h).claim(request), true),
    finish: (id, token, outcome) =>
      group.write((h) => on(h).finish(id, token, outcome), outcome.status !== 'pending'),
  };
}

/** The job store's statements on one handle (the catalog's query builder or a transaction's). */
function jobStatements(
  db: Kysely<CatalogDatabase>,
  now: () => string,
  options: JobStoreOptions,
  templates: QueryTemplates,
): JobStore {
  const held = (id: string, token: string) =>
    db
      .updateTable('jobs')
      .where('id', '=', id)
      .where('lease_token', '=', token)
      .where('status', '=', RUNNING_STATUS);

  const jobs: JobStore = {
    async insert(job) {
      if (job.key === null) {
        await db.insertInto('jobs').values(jobToRow(job)).execute();
        return job;
      }
      // The pending job of the key may start between the two statements; then try again.
      for (let attempt = 0; ; attempt++) {
        const row = jobToRow(job);
        const columns = Object.keys(row) as Array<keyof typeof row>;
        const result = await templates.run(
          db,
          'insertKeyed',
          columns.map((c) => row[c]),
          (...v) =>
            db
              .insertInto('jobs')
              .values(Object.fromEntries(columns.map((c, i) => [c, v[i]])) as unknown as typeof row)
              .onConflict((oc) => oc.column('dedupe_key').where(PENDING).doNothing()),
        );
        if (Number(result.numAffectedRows ?? 0n) > 0) return job;
        const pending = await db
          .selectFrom('jobs')
          .selectAll()
          .where('dedupe_key', '=', job.key)
          .where('status', '=', PENDING_STATUS)
          .executeTakeFirst();
        if (pending) return jobFromRow(pending);
        if (attempt >= 5)
          throw new FileForgeError(
            ErrorCode.CONFLICT,
            `[fileforge:queue] Could not enqueue a job of key "${job.key}": it kept changing`,
          );
      }
    },

    async get(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? jobFromRow(row) : null;
    },

    async claim(request) {
      if (request.types.length === 0 || request.limit <= 0) return [];
      return options.rowLocks ? claimLocked(db, request, now()) : claimSerial(db, templates, request, now());
    },

    async renew(id, token, leaseUntil) {
      const result = await held(id, token)
        .set({ lease_expires_at: leaseUntil, updated_at: now() })
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async finish(id, token, outcome) {
      const release = { lease_owner: null, lease_token: null, lease_expires_at: null, updated_at: now() };
      if (outcome.status !== 'pending') {
        const result = await templates.run(
          db,
          'finish',
          [
            outcome.status,
            outcome.status === 'failed' ? outcome.lastError : null,
            release.updated_at,
            id,
            token,
          ],
          (status, lastError, updatedAt, id, token) =>
            held(id!, token!).set({
              ...release,
              updated_at: updatedAt!,
              status: status!,
              last_error: lastError!,
            }),
        );
        return Number(result.numAffectedRows ?? 0n) > 0 ? 'done' : 'lost';
      }
      return transact(db, async (trx) => {
        const row = await trx
          .selectFrom('jobs')
          .select('dedupe_key')
          .where('id', '=', id)
          .where('lease_token', '=', token)
          .where('status', '=', RUNNING_STATUS)
          .executeTakeFirst();
        if (!row) return 'lost';
        const sibling =
          row.dedupe_key === null
            ? undefined
            : await trx
                .selectFrom('jobs')
                .select('id')
                .where('dedupe_key', '=', row.dedupe_key)
                .where('status', '=', PENDING_STATUS)
                .executeTakeFirst();
        const target = trx.updateTable('jobs').where('id', '=', id);
        if (sibling) {
          // A newer request of the same key waits already: it carries the work, so this job
          // is not queued a second time (there is never more than one pending job per key).
          const reason = `superseded by pending job ${sibling.id}`;
          await target
            .set({
              ...release,
              status: 'failed',
              last_error: outcome.lastError ? `${outcome.lastError} (${reason})` : reason,
            })
            .execute();
          return 'superseded';
        }
        await target
          .set({
            ...release,
            status: 'pending',
            run_at: outcome.runAt,
            attempts: outcome.attempts,
            last_error: outcome.lastError,
          })
          .execute();
        return 'done';
      });
    },

    async expireLeases(owner) {
      const result = await db
        .updateTable('jobs')
        .set({ lease_expires_at: null, updated_at: now() })
        .where('status', '=', RUNNING_STATUS)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async listUnfinished() {
      const rows = await db
        .selectFrom('jobs')
        .selectAll()
        .where('status', 'in', ['pending', 'running'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(jobFromRow);
    },

    async countUnfinished(types) {
      if (types.length === 0) return 0;
      const row = await db
        .selectFrom('jobs')
        .select(db.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'running'])
        .where('type', 'in', types)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async countByStatus() {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', db.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status as JobStatus, Number(r.n)]));
    },
  };
  return jobs;
}
