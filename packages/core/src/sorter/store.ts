/**
 * The sorter's store, kept at this path for its importers; the stores themselves live in
 * `./stores/`, one per table group.
 *
 * @module
 */
export type {
  OccupiedPath,
  SorterStore,
  SortMoveRecord,
  SortMoveState,
  SortRunRecord,
  SortRunStatus,
  StoredModel,
  StoredRule,
} from './stores/index.js';
export { createSorterStore } from './stores/index.js';
