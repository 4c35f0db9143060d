import type {
  ApiKeyRecord,
  DerivativeRecord,
  FileRecord,
  FileStatus,
  JobRecord,
  JobStatus,
  RefreshTokenRecord,
  UserRecord,
} from '../model/index.js';

/** Filters and paging for {@link FileCatalog.list}. */
export interface FileListQuery {
  status?: FileStatus;
  /** Exact type (`image/png`) or a family (`image/*`). */
  mime?: string;
  /** Case-insensitive substring of the display name. */
  name?: string;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Page size. @default 50 */
  limit?: number;
}

/** One page of files, newest first. */
export interface FileListPage {
  items: FileRecord[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Fields a file record may change after it is created. */
export type FilePatch = Partial<Pick<FileRecord, 'status' | 'error' | 'metadata'>>;

/** What {@link FileCatalog.delete} removed, so the caller can remove unreferenced blobs. */
export interface DeletedFile {
  record: FileRecord;
  derivatives: DerivativeRecord[];
  /** Blob keys no remaining record refers to; safe to delete from the blob store. */
  orphanedBlobKeys: string[];
}

/** File records, scoped by tenant: another tenant's id behaves exactly like a missing one. */
export interface FileCatalog {
  /**
   * Inserts a record. In the same transaction it looks for an earlier record of the tenant
   * with the same SHA-256: if there is one, `duplicateOf` is set and, when `shareBlob` is
   * true, the record points at the existing blob (the caller then deletes its own copy).
   */
  insert(record: FileRecord, options?: { shareBlob?: boolean }): Promise<FileRecord>;
  get(tenant: string, id: string): Promise<FileRecord | null>;
  list(tenant: string, query?: FileListQuery): Promise<FileListPage>;
  update(tenant: string, id: string, patch: FilePatch): Promise<FileRecord | null>;
  delete(tenant: string, id: string): Promise<DeletedFile | null>;
  /** Records of every tenant not yet in a final status: what start-up reconciliation re-enqueues. */
  listUnfinished(): Promise<Array<Pick<FileRecord, 'tenant' | 'id' | 'status'>>>;
  /** Counts records per status across all tenants. */
  countByStatus(): Promise<Partial<Record<FileStatus, number>>>;
}

/** Derivative blobs attached to a parent file. */
export interface DerivativeCatalog {
  /** Inserts or replaces the derivative with the same parent and name. */
  put(derivative: DerivativeRecord): Promise<void>;
  list(fileId: string): Promise<DerivativeRecord[]>;
  get(fileId: string, name: string): Promise<DerivativeRecord | null>;
  /** Removes one derivative row (its blob is the caller's to delete). */
  remove(fileId: string, name: string): Promise<void>;
}

/** Persistent job state, used by the in-process queue. */
export interface JobStore {
  /**
   * Persists a job and returns the job that stands: with a `key`, a job of that key still
   * `pending` (not yet started) absorbs the new one and is returned instead; nothing is
   * inserted then. Atomic.
   */
  insert(job: JobRecord): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  update(
    id: string,
    patch: Partial<Pick<JobRecord, 'status' | 'attempts' | 'runAt' | 'lastError'>>,
  ): Promise<void>;
  /** Jobs left `pending` or `running`, oldest first: what a restart must pick up again. */
  listUnfinished(): Promise<JobRecord[]>;
  countByStatus(): Promise<Partial<Record<JobStatus, number>>>;
}

/**
 * Users, API keys and refresh tokens. Emails are unique per tenant: the same address may hold
 * an account in several tenants.
 */
export interface AccountStore {
  countUsers(): Promise<number>;
  /** Inserts a user (its `tokenVersion` is stored as given); `CONFLICT` when the email is taken in its tenant. */
  createUser(user: UserRecord): Promise<void>;
  /** Inserts a user only if there is none yet (atomically); `CONFLICT` otherwise. */
  createFirstUser(user: UserRecord): Promise<void>;
  /** Every account with this email (case-insensitive), in every tenant or only in `tenant`, oldest first. */
  findUsersByEmail(email: string, tenant?: string): Promise<UserRecord[]>;
  getUser(id: string): Promise<UserRecord | null>;
  listUsers(tenant: string): Promise<UserRecord[]>;
  /** Changes a user; a patch that sets the role, disabled flag or password also bumps `tokenVersion`. */
  updateUser(
    id: string,
    patch: Partial<Pick<UserRecord, 'role' | 'disabled' | 'passwordHash'>>,
  ): Promise<void>;
  deleteUser(id: string): Promise<void>;
  createApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(tenant: string): Promise<ApiKeyRecord[]>;
  updateApiKey(id: string, patch: Partial<Pick<ApiKeyRecord, 'lastUsedAt' | 'revokedAt'>>): Promise<void>;
  createRefreshToken(token: RefreshTokenRecord): Promise<void>;
  getRefreshToken(id: string): Promise<RefreshTokenRecord | null>;
  /**
   * Marks a token used, only if it is still unused and unrevoked; returns whether this call
   * won (so two concurrent refreshes cannot both rotate the same token).
   */
  markRefreshTokenUsed(id: string, at: string): Promise<boolean>;
  /** Revokes every token of a family (logout, or reuse of a spent token). */
  revokeRefreshFamily(familyId: string, at: string): Promise<void>;
  /** Revokes every token of a user (disabled or deleted user). */
  revokeUserRefreshTokens(userId: string, at: string): Promise<void>;
}

/**
 * The metadata catalog. The embedded default is SQLite; PostgreSQL runs the same queries
 * and migrations through the same query builder.
 */
export interface Catalog {
  /** Which database engine answers (`sqlite`, `postgres`). */
  readonly dialect: string;
  readonly files: FileCatalog;
  readonly derivatives: DerivativeCatalog;
  readonly jobs: JobStore;
  readonly accounts: AccountStore;
  /** Applies pending migrations. Idempotent. */
  migrate(): Promise<void>;
  /** Round-trips a trivial query; throws `CATALOG_UNAVAILABLE` when the database cannot answer. */
  ping(): Promise<void>;
  /** Closes connections; further calls fail. */
  close(): Promise<void>;
}
