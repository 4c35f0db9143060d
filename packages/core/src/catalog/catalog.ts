import type { Kysely } from 'kysely';
import type {
  ApiKeyRecord,
  ClassificationStatus,
  DerivativeRecord,
  FileRecord,
  FileStatus,
  JobRecord,
  JobStatus,
  RefreshTokenRecord,
  UserRecord,
} from '../model/index.js';
import type { TypeFamily } from '../model/type-family.js';
import type { AppliedMigration } from './migrate.js';
import type { SearchMatch } from './search-document.js';

/** Filters and paging for {@link FileCatalog.list}. */
export interface FileListQuery {
  status?: FileStatus;
  /** Exact type (`image/png`) or a family (`image/*`). */
  mime?: string;
  /** Case-insensitive substring of the display name. */
  name?: string;
  /** Exact category. */
  category?: string;
  /** Classification status: `review` lists the review queue. */
  classificationStatus?: ClassificationStatus;
  /** Files whose sorted path lies under this folder (`invoices/2026` matches `invoices/2026/11/a.pdf`, not `invoices/20261/…`). */
  pathPrefix?: string;
  /**
   * Full-text search over names, extracted text and metadata words
   * (document title and author, EXIF and media tags, …). Every word must occur; the last may
   * be the start of a word (search as you type). Sorted by relevance unless `sort` says
   * otherwise; each hit's {@link FileListPage.matches} entry holds a snippet.
   */
  q?: string;
  /** The coarse kind of the detected type (see `typeFamilyOf`). */
  typeFamily?: TypeFamily;
  /** Created at or after this time (ISO 8601). */
  createdFrom?: string;
  /** Created at or before this time (ISO 8601). */
  createdTo?: string;
  /** Uploaded by this user, or through this API key (an id). */
  uploader?: string;
  /**
   * Order of the list. `relevance` needs `q`. `created` follows ids, which are time-ordered.
   * @default 'relevance' with `q`, else 'created'
   */
  sort?: FileSort;
  /** @default 'desc' (newest, largest, best first; `name` reads A→Z only with 'asc') */
  order?: 'asc' | 'desc';
  /** Opaque cursor from a previous page's `nextCursor` (of the same sort and order). */
  cursor?: string;
  /** Page size. @default 50 */
  limit?: number;
}

/** What {@link FileListQuery.sort} may name. */
export type FileSort = 'relevance' | 'name' | 'size' | 'created' | 'updated';

/** One page of files, in the query's order (newest first by default). */
export interface FileListPage {
  items: FileRecord[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  nextCursor: string | null;
  /** With `q`: where each item matched, by file id. */
  matches?: Record<string, SearchMatch>;
}

/**
 * Fields a file record may change after it is created. `mime` and `ext` change only when a
 * processor recognised content ingest could not name (`ProcessResult.type`). A `path` another
 * record of the tenant holds fails the update with `CONFLICT` (`details.field: 'path'`).
 */
export type FilePatch = Partial<
  Pick<FileRecord, 'status' | 'error' | 'metadata' | 'mime' | 'ext' | 'path' | 'category' | 'classification'>
>;

/** Conditions of {@link FileCatalog.update}. */
export interface FileUpdateOptions {
  /**
   * Change nothing (and answer null) when a person decided the record's classification: a
   * classification computed from an earlier read never overwrites a person's label given since.
   */
  unlessClassifiedByPerson?: boolean;
}

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
  update(
    tenant: string,
    id: string,
    patch: FilePatch,
    options?: FileUpdateOptions,
  ): Promise<FileRecord | null>;
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

/** What {@link JobStore.claim} needs to lease due jobs to one queue instance. */
export interface JobClaim {
  /** The claiming queue instance, recorded as the lease owner. */
  owner: string;
  /** Unique per claim; completion, failure and renewal must present it. */
  token: string;
  /** Job types the claimer can run; other types are left for other instances. */
  types: readonly string[];
  /** The claimer's clock (ISO 8601): pending jobs due by then, and leases expired by then, are taken. */
  now: string;
  /** Lease expiry written on each claimed job. */
  leaseUntil: string;
  /** At most this many jobs. */
  limit: number;
}

/** How a leased job ends its run; see {@link JobStore.finish}. */
export type JobOutcome =
  | { status: 'completed' }
  | { status: 'failed'; lastError: string }
  /** Back to the queue: a retry (later `runAt`) or an attempt given back (`attempts` lowered). */
  | { status: 'pending'; runAt: string; attempts: number; lastError: string | null };

/**
 * What {@link JobStore.finish} did: `done`; `superseded` (a retry of a keyed job while another
 * job of its key is already pending: that job carries the work, this one ends `failed`);
 * `lost` (the token no longer holds the lease: another instance runs the job; nothing changed).
 */
export type JobFinish = 'done' | 'superseded' | 'lost';

/**
 * Persistent job state, used by the in-process queue. Jobs are leased: `claim` makes due jobs
 * `running` with an owner, a token and an expiry in one atomic step, and every later change
 * is conditional on the token still holding the lease, so queue instances sharing a catalog
 * never run one job at once and a holder that died loses its jobs when its lease runs out.
 */
export interface JobStore {
  /**
   * Persists a job and returns the job that stands: with a `key`, a job of that key still
   * `pending` (not yet started) absorbs the new one and is returned instead; nothing is
   * inserted then. Atomic: there is never more than one pending job per key.
   */
  insert(job: JobRecord): Promise<JobRecord>;
  get(id: string): Promise<JobRecord | null>;
  /**
   * Atomically leases up to `limit` jobs of the given types, oldest `runAt` first: pending jobs
   * that are due and whose key has no running job, and running jobs whose lease has expired.
   * Each comes back `running`, its attempts counted up by one.
   */
  claim(claim: JobClaim): Promise<JobRecord[]>;
  /** Extends a held lease; false when the token no longer holds it. */
  renew(id: string, token: string, leaseUntil: string): Promise<boolean>;
  /** Ends a run, only if the token still holds the lease; clears the lease. */
  finish(id: string, token: string, outcome: JobOutcome): Promise<JobFinish>;
  /**
   * Expires at once every lease held by `owner`: a queue instance that restarts under a stable
   * owner takes back what its previous incarnation was running. Returns how many.
   */
  expireLeases(owner: string): Promise<number>;
  /** Jobs left `pending` or `running`, oldest first (for inspection; recovery goes through `claim`). */
  listUnfinished(): Promise<JobRecord[]>;
  /** How many jobs of these types are `pending` or `running`. */
  countUnfinished(types: readonly string[]): Promise<number>;
  countByStatus(): Promise<Partial<Record<JobStatus, number>>>;
}

/** One event in the outbox: written with the state change that caused it, then delivered. */
export interface OutboxEntry {
  /** Position in the outbox; delivery follows it. */
  seq: number;
  /** The event's stable id (`eventId`); appending an id twice keeps the first. */
  id: string;
  /** Event name (`file.uploaded`). */
  type: string;
  /** Ordering scope (`<tenant>/<file id>`): an entry waits while an earlier one of its stream is undelivered. */
  stream: string;
  /** The event payload, as JSON. */
  payload: unknown;
  createdAt: string;
  /** Failed delivery rounds so far. */
  attempts: number;
  /** Not before this time (after a failed round); `null` = at once. */
  nextAttemptAt: string | null;
  /** When it was delivered (or given up on); `null` while undelivered. */
  deliveredAt: string | null;
  lastError: string | null;
  /** The dispatcher that last claimed it (see {@link OutboxStore.claim}); `null` if none did. */
  claimedBy: string | null;
  /** Its claim holds until then; afterwards another dispatcher may claim it. */
  claimedUntil: string | null;
}

/**
 * What a state change appends to the outbox. `deliveredAt`, when given, stores the entry as
 * already delivered: for an event nobody can hear (see `OutboxDispatcher.unheard`), which no
 * delivery pass then needs to read and mark.
 */
export type OutboxAppend = Pick<OutboxEntry, 'id' | 'type' | 'stream' | 'payload' | 'createdAt'> & {
  deliveredAt?: string;
};

/** The durable event outbox (see {@link Catalog.transaction} for appending with a state change). */
export interface OutboxStore {
  /** Appends an event; false (and nothing written) when its id is already there. */
  append(entry: OutboxAppend): Promise<boolean>;
  /**
   * The latest entries of one stream (a file's events: `<tenant>/<file id>`), delivered or not,
   * oldest first, at most `limit`. Delivered entries stay until pruned, so this is the recent
   * history of what happened to a file.
   */
  listStream(stream: string, options: { limit: number }): Promise<OutboxEntry[]>;
  /** Undelivered entries with `seq` above `afterSeq`, in `seq` order (for inspection: dispatchers {@link claim}). */
  listUndelivered(options: { afterSeq?: number; limit: number }): Promise<OutboxEntry[]>;
  /**
   * Claims up to `limit` entries for `owner` until `until`, atomically across processes, and
   * returns them in `seq` order. An entry is claimed when it is undelivered, due
   * (`nextAttemptAt` ≤ `now`), not held by another owner's claim lasting beyond `now`, and no
   * earlier undelivered entry of its stream is held so or not due: a stream's entries go to one
   * dispatcher at a time, in order. The owner's own claims are taken again (renewed).
   */
  claim(request: { owner: string; now: string; until: string; limit: number }): Promise<OutboxEntry[]>;
  /** Marks entries delivered at `at`; `lastError` records why one was given up on. */
  markDelivered(seqs: readonly number[], at: string, lastError?: string): Promise<void>;
  /** Records a failed round: the entry is tried again from `nextAttemptAt`. */
  deferDelivery(
    seq: number,
    retry: { attempts: number; nextAttemptAt: string; lastError: string },
  ): Promise<void>;
  /** Deletes entries delivered before `before`; returns how many. */
  prune(before: string): Promise<number>;
  countUndelivered(): Promise<number>;
}

/** The stores a {@link Catalog.transaction} binds to one transaction. */
export interface CatalogTransaction {
  readonly files: FileCatalog;
  readonly derivatives: DerivativeCatalog;
  readonly outbox: OutboxStore;
  /**
   * Optional capability of the SQL catalogs: the query builder bound to this transaction, so
   * a module with tables of its own (sorter, workflows) writes them in the same transaction.
   */
  // biome-ignore lint/suspicious/noExplicitAny: modules query tables the core schema does not type
  db?(): Kysely<any>;
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
  /**
   * Whether a login (a refresh-token family) is still open: it has a token not revoked. A
   * logout, a reuse of a spent token, a password change or disabling the user ends it; an id
   * never recorded is not open.
   */
  refreshFamilyOpen(familyId: string): Promise<boolean>;
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
  readonly outbox: OutboxStore;
  /**
   * Runs `fn` in one transaction: what it does through the given stores commits together or
   * not at all (a state change and the event it causes, for instance). Use only the given
   * stores inside `fn`, never the catalog's own, which wait for the transaction to end.
   *
   * @example
   * ```ts
   * await catalog.transaction(async (tx) => {
   *   const file = await tx.files.update(tenant, id, { status: 'processed' });
   *   await tx.outbox.append({ id: eventId, type: 'file.processed', stream, payload, createdAt });
   * });
   * ```
   */
  transaction<T>(fn: (tx: CatalogTransaction) => Promise<T>): Promise<T>;
  /**
   * Optional capability of the SQL catalogs: their query builder, for modules that bring
   * tables of their own (sorter, workflows, integrations; see `SqlCatalogOptions.migrations`)
   * to build their stores on. Engines without SQL leave it out.
   */
  // biome-ignore lint/suspicious/noExplicitAny: modules query tables the core schema does not type
  db?(): Kysely<any>;
  /**
   * Optional capability of pooled catalogs (PostgreSQL): connections in use, idle, and
   * requests waiting for one, as `/health/detailed` reports them.
   */
  connections?(): { active: number; idle: number; waiting: number };
  /**
   * Applies pending migrations (core's, then the modules' given at creation), and answers
   * which it applied, in order; none when the catalog is up to date. Idempotent.
   */
  migrate(): Promise<AppliedMigration[]>;
  /** Round-trips a trivial query; throws `CATALOG_UNAVAILABLE` when the database cannot answer. */
  ping(): Promise<void>;
  /** Closes connections; further calls fail. */
  close(): Promise<void>;
}
