/**
 * The sorter's journaled runs (`sort_runs`).
 *
 * @module
 */
import { transact } from '../../catalog/transact.js';
import { insertMoves, type SortMoveRecord } from './moves.js';
import type { Db, SorterTables } from './tables.js';

/** Status of a sort run: `applied` (every move done), `partial` (some moves rolled back or undone), `undone`. */
export type SortRunStatus = 'applied' | 'partial' | 'undone';

/** A journaled sort run (`apply`), as stored. */
export interface SortRunRecord {
  id: string;
  tenant: string;
  status: SortRunStatus;
  /** Where the files were: `catalog` (the forge's sorted tree). */
  source: string;
  /** Files moved. */
  moved: number;
  /** Files the plan left where they were (conflict `skip`, `deduplicate`, already in place). */
  skipped: number;
  createdAt: string;
  finishedAt: string | null;
}

const runFromRow = (r: SorterTables['sort_runs']): SortRunRecord => ({
  id: r.id,
  tenant: r.tenant,
  status: r.status as SortRunStatus,
  source: r.source,
  moved: Number(r.moved),
  skipped: Number(r.skipped),
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** The sorter's journaled runs. */
export interface RunsStore {
  /** Writes a run and its first moves (journal rows, `planned`) in one transaction. */
  create(run: SortRunRecord, moves: SortMoveRecord[]): Promise<void>;
  get(tenant: string, id: string): Promise<SortRunRecord | null>;
  /** Newest first; `cursor` is the last id of the previous page. */
  list(tenant: string, page: { cursor?: string; limit: number }): Promise<SortRunRecord[]>;
  update(
    id: string,
    patch: Partial<Pick<SortRunRecord, 'status' | 'moved' | 'skipped' | 'finishedAt'>>,
  ): Promise<void>;
}

export function createRunsStore(db: Db): RunsStore {
  return {
    async create(run, moves) {
      await transact(db, async (trx) => {
        await trx
          .insertInto('sort_runs')
          .values({
            id: run.id,
            tenant: run.tenant,
            status: run.status,
            source: run.source,
            moved: run.moved,
            skipped: run.skipped,
            created_at: run.createdAt,
            finished_at: run.finishedAt,
          })
          .execute();
        await insertMoves(db, trx, moves);
      });
    },
    async get(tenant, id) {
      const r = await db
        .selectFrom('sort_runs')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? runFromRow(r) : null;
    },
    async list(tenant, { cursor, limit }) {
      let q = db.selectFrom('sort_runs').selectAll().where('tenant', '=', tenant);
      if (cursor) q = q.where('id', '<', cursor);
      const rows = await q.orderBy('id', 'desc').limit(limit).execute();
      return rows.map(runFromRow);
    },
    async update(id, patch) {
      const values: Partial<SorterTables['sort_runs']> = {};
      if (patch.status !== undefined) values.status = patch.status;
      if (patch.moved !== undefined) values.moved = patch.moved;
      if (patch.skipped !== undefined) values.skipped = patch.skipped;
      if (patch.finishedAt !== undefined) values.finished_at = patch.finishedAt;
      await db.updateTable('sort_runs').set(values).where('id', '=', id).execute();
    },
  };
}
