import type { Kysely } from 'kysely';
import type { JobStatus } from '../../model/index.js';
import type { JobStore } from '../catalog.js';
import { jobFromRow } from '../rows.js';
import type { CatalogDatabase } from '../schema.js';

/** Persistent job state over Kysely, for every SQL dialect. */
export function createJobStore(db: Kysely<CatalogDatabase>, now: () => string): JobStore {
  const jobs: JobStore = {
    async insert(job) {
      return db.transaction().execute(async (trx) => {
        if (job.key !== null) {
          const pending = await trx
            .selectFrom('jobs')
            .selectAll()
            .where('dedupe_key', '=', job.key)
            .where('status', '=', 'pending')
            .orderBy('id')
            .executeTakeFirst();
          if (pending) return jobFromRow(pending);
        }
        await trx
          .insertInto('jobs')
          .values({
            id: job.id,
            type: job.type,
            payload: JSON.stringify(job.payload),
            dedupe_key: job.key,
            status: job.status,
            attempts: job.attempts,
            max_attempts: job.maxAttempts,
            run_at: job.runAt,
            last_error: job.lastError,
            created_at: job.createdAt,
            updated_at: job.updatedAt,
          })
          .execute();
        return job;
      });
    },
    async get(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? jobFromRow(row) : null;
    },
    async update(id, patch) {
      await db
        .updateTable('jobs')
        .set({
          updated_at: now(),
          ...(patch.status === undefined ? {} : { status: patch.status }),
          ...(patch.attempts === undefined ? {} : { attempts: patch.attempts }),
          ...(patch.runAt === undefined ? {} : { run_at: patch.runAt }),
          ...(patch.lastError === undefined ? {} : { last_error: patch.lastError }),
        })
        .where('id', '=', id)
        .execute();
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
