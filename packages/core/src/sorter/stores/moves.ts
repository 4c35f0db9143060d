/**
 * The move journal of sort runs (`sort_moves`).
 *
 * @module
 */
import { templatesOf } from '../../catalog/query-templates.js';
import { transact } from '../../catalog/transact.js';
import type { Db, SorterTables } from './tables.js';

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

export const moveToRow = (m: SortMoveRecord): SorterTables['sort_moves'] => ({
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

/** Journal rows written by one `insert` (9 values each: far below SQLite's parameter limit). */
const INSERT_ROWS = 200;
const MOVE_COLUMNS = 9;

/**
 * Writes `moves` as journal rows on `trx` (of the catalog `db`), {@link INSERT_ROWS} a
 * statement, each statement shape compiled once (a run journals thousands of moves).
 */
export async function insertMoves(db: Db, trx: Db, moves: readonly SortMoveRecord[]): Promise<void> {
  const templates = templatesOf(db);
  for (let i = 0; i < moves.length; i += INSERT_ROWS) {
    const rows = moves.slice(i, i + INSERT_ROWS).map(moveToRow);
    const values = rows.flatMap((r) => [
      r.run_id,
      r.seq,
      r.tenant,
      r.file_id,
      r.from_path,
      r.to_path,
      r.sha256,
      r.state,
      r.undoes_seq,
    ]);
    await templates.run(trx, `sort_moves:insert:${rows.length}`, values, (...v) =>
      trx.insertInto('sort_moves').values(
        rows.map((_, k) => {
          const at = k * MOVE_COLUMNS;
          return {
            run_id: v[at]!,
            seq: v[at + 1] as unknown as number,
            tenant: v[at + 2]!,
            file_id: v[at + 3]!,
            from_path: v[at + 4]!,
            to_path: v[at + 5]!,
            sha256: v[at + 6]!,
            state: v[at + 7]!,
            undoes_seq: v[at + 8] as unknown as number,
          };
        }),
      ),
    );
  }
}

/** The journal of moves of every sort run. */
export interface MovesStore {
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
}

export function createMovesStore(db: Db): MovesStore {
  return {
    async append(moves) {
      if (moves.length === 0) return;
      await transact(db, (trx) => insertMoves(db, trx, moves));
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
  };
}
