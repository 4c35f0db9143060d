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
  owner_id: string | null;
  api_key_id: string | null;
  blob_key: string;
  duplicate_of: string | null;
  error: string | null;
  metadata: string;
  path: string | null;
  category: string | null;
  /** The record's `Classification` as JSON. */
  classification: string | null;
  /** `classification.status`, as a column for the review queue. */
  classification_status: string | null;
  /** `classification.decidedBy.kind`, as a column for the classifier's labels (`person`). */
  classified_by: string | null;
  /** When `fileforge fsck --repair` found the blob missing or altered (migration 0008); null when sound. */
  damaged_at?: string | null;
  /** What fsck found: `blob_missing` or `sha256_mismatch`. */
  damage_reason?: string | null;
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
  dedupe_key: string | null;
  status: string;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: string;
  last_error: string | null;
  lease_owner: string | null;
  lease_token: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Events committed with the state change that caused them, waiting for (or past) delivery. */
export interface EventOutboxTable {
  seq: Generated<number>;
  event_id: string;
  type: string;
  stream: string;
  payload: string;
  created_at: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  delivered_at: string | null;
  last_error: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
}

export interface UsersTable {
  id: string;
  tenant: string;
  email: string;
  password_hash: string;
  role: string;
  disabled: number;
  token_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  tenant: string;
  name: string;
  role: string;
  user_id: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface RefreshTokensTable {
  id: string;
  user_id: string;
  family_id: string;
  secret_hash: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

/**
 * One file's full-text index entry (migration 0010): what the engine's index (SQLite FTS5,
 * PostgreSQL `tsvector`) is built from. Written by the file store; triggers keep the index current.
 */
export interface FileSearchTable {
  file_id: string;
  tenant: string;
  name: string;
  body: string;
  meta: string;
}

/** The catalog database as Kysely sees it. */
export interface CatalogDatabase {
  files: FilesTable;
  file_search: FileSearchTable;
  derivatives: DerivativesTable;
  jobs: JobsTable;
  event_outbox: EventOutboxTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  refresh_tokens: RefreshTokensTable;
}
