/**
 * The sorter's tables over the catalog's query builder (`Catalog.db()`): rules, sort runs,
 * the move journal and the classifier's model per tenant. Written once with Kysely for every
 * SQL dialect, like the catalog's own stores.
 *
 * @module
 */
import type { Catalog } from '../../catalog/index.js';
import { ErrorCode, FileForgeError } from '../../errors/index.js';
import { createModelsStore, type ModelsStore } from './models.js';
import { createMovesStore, type MovesStore } from './moves.js';
import { createRulesStore, type RulesStore } from './rules.js';
import { createRunsStore, type RunsStore } from './runs.js';
import type { Db } from './tables.js';
import { createTreeStore, type TreeStore } from './tree.js';

export type { ModelsStore, StoredModel } from './models.js';
export type { MovesStore, SortMoveRecord, SortMoveState } from './moves.js';
export type { RulesStore, StoredRule } from './rules.js';
export type { RunsStore, SortRunRecord, SortRunStatus } from './runs.js';
export type { OccupiedPath, TreeStore } from './tree.js';

/** The sorter's persistent state. */
export interface SorterStore {
  rules: RulesStore;
  runs: RunsStore;
  moves: MovesStore;
  models: ModelsStore;
  tree: TreeStore;
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
  return {
    rules: createRulesStore(db),
    runs: createRunsStore(db),
    moves: createMovesStore(db),
    models: createModelsStore(db),
    tree: createTreeStore(db),
  };
}
