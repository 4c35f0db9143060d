/**
 * The sorter's tables over the catalog's query builder (`Catalog.db()`): rules, sort runs,
 * the move journal and the classifier's model per tenant. Written once with Kysely for every
 * SQL dialect, like the catalog's own stores.
 *
 * @module
 */
import { type Kysely, sql } from 'kysely';
import type { Catalog } from '../catalog/index.js';
import { fileFromRow } from '../catalog/rows.js';
import type { CatalogDatabase } from '../catalog/schema.js';
import { transact } from '../catalog/transact.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { FileRecord } from '../model/index.js';
import type { Rule } from './rule-schema.js';

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

/** State of one journaled move: `planned` (nothing known done), `moved`, `undone` (rolled back or reversed). */
export type SortMoveState = 'planned' | 'moved' | 'undone';

/** One move of the journal. */
export interface SortMoveRecord {
  runId: string;
  seq: number;
  tenant: string;
  fileId: string;
  /** Sorted path before the move; `null` when the file was not in the tree. */
  from: string | null;
  /** Sorted path after the move; `null` when the move takes the file out of the tree (`overwrite`, undo). */
  to: string | null;
  /** The file's content hash when it moved (undo refuses a file whose content changed since). */
  sha256: string;
  state: SortMoveState;
  /** For a move that reverses another of the same run (undo): that move's `seq`. */
  undoes: number | null;
}

/** A stored rule with its bookkeeping. */
export interface StoredRule {
  rule: Rule;
  createdAt: string;
  updatedAt: string;
}

/** A tenant's classifier model as stored. */
export interface StoredModel<M = unknown> {
  model: M;
  labelCount: number;
  trainedAt: string;
}

/** One occupied place of the sorted tree. */
export interface OccupiedPath {
  id: string;
  path: string;
  sha256: string;
}

interface SorterTables {
  sort_rules: {
    tenant: string;
    id: string;
    priority: number;
    definition: string;
    created_at: string;
    updated_at: string;
  };
  sort_runs: {
    id: string;
    tenant: string;
    status: string;
    source: string;
    moved: number;
    skipped: number;
    created_at: string;
    finished_at: string | null;
  };
  sort_moves: {
    run_id: string;
    seq: number;
    tenant: string;
    file_id: string;
    from_path: string | null;
    to_path: string | null;
    sha256: string;
    state: string;
    undoes_seq: number | null;
  };
  classifier_models: { tenant: string; model: string; label_count: number; trained_at: string };
}

type Db = Kysely<SorterTables & CatalogDatabase>;

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

const moveFromRow = (r: SorterTables['sort_moves']): SortMoveRecord => ({
  runId: r.run_id,
  seq: Number(r.seq),
  tenant: r.tenant,
  fileId: r.file_id,
  from: r.from_path,
  to: r.to_path,
  sha256: r.sha256,
  state: r.state as SortMoveState,
  undoes: r.undoes_seq === null ? null : Number(r.undoes_seq),
});

const moveToRow = (m: SortMoveRecord): SorterTables['sort_moves'] => ({
  run_id: m.runId,
  seq: m.seq,
  tenant: m.tenant,
  file_id: m.fileId,
  from_path: m.from,
  to_path: m.to,
  sha256: m.sha256,
  state: m.state,
  undoes_seq: m.undoes,
});

/** The sorter's persistent state. */
export interface SorterStore {
  rules: {
    /** A tenant's rules, highest priority first (equal priorities: oldest first). */
    list(tenant: string): Promise<StoredRule[]>;
    get(tenant: string, id: string): Promise<StoredRule | null>;
    /** Inserts or replaces the rule with this id; returns whether it was new. */
    put(tenant: string, rule: Rule, at: string): Promise<boolean>;
    /** Removes a rule; false when there was none. */
    remove(tenant: string, id: string): Promise<boolean>;
  };
  runs: {
    /** Writes a run and its first moves (journal rows, `planned`) in one transaction. */
    create(run: SortRunRecord, moves: SortMoveRecord[]): Promise<void>;
    get(tenant: string, id: string): Promise<SortRunRecord | null>;
    /** Newest first; `cursor` is the last id of the previous page. */
    list(tenant: string, page: { cursor?: string; limit: number }): Promise<SortRunRecord[]>;
    update(
      id: string,
      patch: Partial<Pick<SortRunRecord, 'status' | 'moved' | 'skipped' | 'finishedAt'>>,
    ): Promise<void>;
  };
  moves: {
    /** Appends journal rows to an existing run. */
    append(moves: SortMoveRecord[]): Promise<void>;
    setState(runId: string, seq: number, state: SortMoveState): Promise<void>;
    /** Sets the state of several of a run's moves in one transaction. */
    setStates(runId: string, seqs: readonly number[], state: SortMoveState): Promise<void>;
    /** Points a still-`planned` move at another destination (a race took the first one). */
    retarget(runId: string, seq: number, to: string): Promise<void>;
    /** A run's moves in `seq` order. */
    list(runId: string): Promise<SortMoveRecord[]>;
    /** Every move still `planned`, in every tenant, in journal order: what start-up recovery finishes or rolls back. */
    listPlanned(): Promise<SortMoveRecord[]>;
    /** The next free `seq` of a run. */
    nextSeq(runId: string): Promise<number>;
  };
  models: {
    get<M>(tenant: string): Promise<StoredModel<M> | null>;
    put(tenant: string, stored: StoredModel): Promise<void>;
  };
  tree: {
    /** Occupied places of the tree at or under these folders (`''` for the whole tree). */
    occupiedUnder(tenant: string, folders: readonly string[]): Promise<OccupiedPath[]>;
    /** Who holds exactly this path, if anyone. */
    occupant(tenant: string, path: string): Promise<OccupiedPath | null>;
    /** Records whose category a person confirmed or corrected (the classifier's labels). */
    labelled(tenant: string): Promise<FileRecord[]>;
    countLabelled(tenant: string): Promise<number>;
    /**
     * One level of the tree, counted and paged in SQL (nothing per file is read into memory):
     * the sub-folders of `folder` after `after` by name, with the number of files under each.
     */
    subFolders(
      tenant: string,
      folder: string,
      after: string | null,
      limit: number,
    ): Promise<Array<{ name: string; fileCount: number }>>;
    /** The files directly in `folder` after `after` by name. */
    filesIn(
      tenant: string,
      folder: string,
      after: string | null,
      limit: number,
    ): Promise<Array<{ id: string; name: string }>>;
  };
}

/**
 * Creates the sorter's store over a SQL catalog. The catalog must offer the `db()`
 * capability (the SQLite catalog does); its migrations must include `sorterMigrations`.
 */
export function createSorterStore(catalog: Pick<Catalog, 'db'>): SorterStore {
  if (!catalog.db) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:sorter] The catalog offers no SQL access (db()); the sorter needs a SQL catalog',
    );
  }
  const db = catalog.db() as Db;

  const underFolders = (tenant: string, folders: readonly string[]) => {
    let q = db
      .selectFrom('files')
      .select(['id', 'path', 'sha256'])
      .where('tenant', '=', tenant)
      .where('path', 'is not', null);
    if (!folders.includes('')) {
      q = q.where((eb) =>
        eb.or(
          folders.map((f) =>
            eb(eb.fn('substr', ['path', eb.val(1), eb.val([...f].length + 1)]), '=', `${f}/`),
          ),
        ),
      );
    }
    return q;
  };

  /**
   * The part of `path` below `folder`, and a range on `path` that the (tenant, path) index
   * serves: `folder/` ≤ path < `folder0` (`0` follows `/` in byte order).
   */
  const levelOf = (folder: string) => {
    if (folder === '') return { rest: sql<string>`path`, range: sql`path IS NOT NULL` };
    const start = [...folder].length + 2;
    return {
      rest: sql<string>`substr(path, ${start})`,
      range: sql`path >= ${`${folder}/`} AND path < ${`${folder}0`}`,
    };
  };

  return {
    rules: {
      async list(tenant) {
        const rows = await db
          .selectFrom('sort_rules')
          .selectAll()
          .where('tenant', '=', tenant)
          .orderBy('priority', 'desc')
          .orderBy('created_at', 'asc')
          .orderBy('id', 'asc')
          .execute();
        return rows.map((r) => ({
          rule: JSON.parse(r.definition),
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        }));
      },
      async get(tenant, id) {
        const r = await db
          .selectFrom('sort_rules')
          .selectAll()
          .where('tenant', '=', tenant)
          .where('id', '=', id)
          .executeTakeFirst();
        return r
          ? { rule: JSON.parse(r.definition), createdAt: r.created_at, updatedAt: r.updated_at }
          : null;
      },
      async put(tenant, rule, at) {
        return transact(db, async (trx) => {
          const values = { priority: rule.priority, definition: JSON.stringify(rule), updated_at: at };
          const updated = await trx
            .updateTable('sort_rules')
            .set(values)
            .where('tenant', '=', tenant)
            .where('id', '=', rule.id)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) > 0) return false;
          await trx
            .insertInto('sort_rules')
            .values({ tenant, id: rule.id, created_at: at, ...values })
            .execute();
          return true;
        });
      },
      async remove(tenant, id) {
        const r = await db
          .deleteFrom('sort_rules')
          .where('tenant', '=', tenant)
          .where('id', '=', id)
          .executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      },
    },
    runs: {
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
          for (let i = 0; i < moves.length; i += 200) {
            await trx
              .insertInto('sort_moves')
              .values(moves.slice(i, i + 200).map(moveToRow))
              .execute();
          }
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
    },
    moves: {
      async append(moves) {
        if (moves.length === 0) return;
        await transact(db, async (trx) => {
          for (let i = 0; i < moves.length; i += 200) {
            await trx
              .insertInto('sort_moves')
              .values(moves.slice(i, i + 200).map(moveToRow))
              .execute();
          }
        });
      },
      async setState(runId, seq, state) {
        await db
          .updateTable('sort_moves')
          .set({ state })
          .where('run_id', '=', runId)
          .where('seq', '=', seq)
          .execute();
      },
      async setStates(runId, seqs, state) {
        if (seqs.length === 0) return;
        await transact(db, async (trx) => {
          for (let i = 0; i < seqs.length; i += 500) {
            await trx
              .updateTable('sort_moves')
              .set({ state })
              .where('run_id', '=', runId)
              .where('seq', 'in', seqs.slice(i, i + 500))
              .execute();
          }
        });
      },
      async retarget(runId, seq, to) {
        await db
          .updateTable('sort_moves')
          .set({ to_path: to })
          .where('run_id', '=', runId)
          .where('seq', '=', seq)
          .where('state', '=', 'planned')
          .execute();
      },
      async list(runId) {
        const rows = await db
          .selectFrom('sort_moves')
          .selectAll()
          .where('run_id', '=', runId)
          .orderBy('seq')
          .execute();
        return rows.map(moveFromRow);
      },
      async listPlanned() {
        const rows = await db
          .selectFrom('sort_moves')
          .selectAll()
          .where('state', '=', 'planned')
          .orderBy('run_id')
          .orderBy('seq')
          .execute();
        return rows.map(moveFromRow);
      },
      async nextSeq(runId) {
        const r = await db
          .selectFrom('sort_moves')
          .select((eb) => eb.fn.max('seq').as('max'))
          .where('run_id', '=', runId)
          .executeTakeFirst();
        return r?.max == null ? 0 : Number(r.max) + 1;
      },
    },
    models: {
      async get<M>(tenant: string) {
        const r = await db
          .selectFrom('classifier_models')
          .selectAll()
          .where('tenant', '=', tenant)
          .executeTakeFirst();
        return r
          ? { model: JSON.parse(r.model) as M, labelCount: Number(r.label_count), trainedAt: r.trained_at }
          : null;
      },
      async put(tenant, stored) {
        await transact(db, async (trx) => {
          await trx.deleteFrom('classifier_models').where('tenant', '=', tenant).execute();
          await trx
            .insertInto('classifier_models')
            .values({
              tenant,
              model: JSON.stringify(stored.model),
              label_count: stored.labelCount,
              trained_at: stored.trainedAt,
            })
            .execute();
        });
      },
    },
    tree: {
      async occupiedUnder(tenant, folders) {
        if (folders.length === 0) return [];
        const rows = await underFolders(tenant, [...new Set(folders)]).execute();
        return rows.map((r) => ({ id: r.id, path: r.path as string, sha256: r.sha256 }));
      },
      async occupant(tenant, path) {
        const r = await db
          .selectFrom('files')
          .select(['id', 'path', 'sha256'])
          .where('tenant', '=', tenant)
          .where('path', '=', path)
          .executeTakeFirst();
        return r ? { id: r.id, path: r.path as string, sha256: r.sha256 } : null;
      },
      async labelled(tenant) {
        const rows = await db
          .selectFrom('files')
          .selectAll()
          .where('tenant', '=', tenant)
          .where('classified_by', '=', 'person')
          .orderBy('id')
          .execute();
        return rows.map(fileFromRow);
      },
      async countLabelled(tenant) {
        const r = await db
          .selectFrom('files')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant', '=', tenant)
          .where('classified_by', '=', 'person')
          .executeTakeFirst();
        return Number(r?.n ?? 0);
      },
      async subFolders(tenant, folder, after, limit) {
        const { rest, range } = levelOf(folder);
        const { rows } = await sql<{ name: string; n: number }>`
          SELECT substr(rest, 1, instr(rest, '/') - 1) AS name, count(*) AS n
          FROM (SELECT ${rest} AS rest FROM files WHERE tenant = ${tenant} AND ${range})
          WHERE instr(rest, '/') > 0
          GROUP BY name
          HAVING ${after === null ? sql`1` : sql`name > ${after}`}
          ORDER BY name
          LIMIT ${limit}`.execute(db);
        return rows.map((r) => ({ name: r.name, fileCount: Number(r.n) }));
      },
      async filesIn(tenant, folder, after, limit) {
        const { rest, range } = levelOf(folder);
        const { rows } = await sql<{ id: string; name: string }>`
          SELECT id, ${rest} AS name FROM files
          WHERE tenant = ${tenant} AND ${range} AND instr(${rest}, '/') = 0
            AND ${after === null ? sql`1` : sql`${rest} > ${after}`}
          ORDER BY name
          LIMIT ${limit}`.execute(db);
        return rows;
      },
    },
  };
}
