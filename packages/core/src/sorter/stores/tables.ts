/**
 * The sorter's tables as the query builder sees them, shared by every store of this folder.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { CatalogDatabase } from '../../catalog/schema.js';

export interface SorterTables {
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
  classifier_models: {
    tenant: string;
    model: string;
    label_count: number;
    trained_at: string;
    labels_through: number;
  };
  classifier_new_labels: { tenant: string; count: number };
}

export type Db = Kysely<SorterTables & CatalogDatabase>;
