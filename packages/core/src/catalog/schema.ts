import type { Generated } from 'kysely';

/** Row shapes of the catalog tables (snake_case, JSON as text, booleans as 0/1). */
export interface FilesTable {
  id: string;
  tenant: string;
  name: string;
  size: number;
  sha256: string;
  mime: string;
  ext: string;
  declared_mime: string | null;
  type_mismatch: number;
  status: string;
  blob_key: string;
  duplicate_of: string | null;
  error: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
}

export interface DerivativesTable {
  file_id: string;
  name: string;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  blob_key: string;
  created_at: string;
}

export interface JobsTable {
  id: string;
  type: string;
  payload: string;
  status: string;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** The catalog database as Kysely sees it. */
export interface CatalogDatabase {
  files: FilesTable;
  derivatives: DerivativesTable;
  jobs: JobsTable;
}
