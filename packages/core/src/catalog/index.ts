export type {
  AccountStore,
  Catalog,
  CatalogTransaction,
  DeletedFile,
  DerivativeCatalog,
  FileCatalog,
  FileListPage,
  FileListQuery,
  FilePatch,
  FileSort,
  FileUpdateOptions,
  JobClaim,
  JobFinish,
  JobOutcome,
  JobStore,
  OutboxAppend,
  OutboxEntry,
  OutboxStore,
} from './catalog.js';
export {
  createGroupCommit,
  type GroupCommit,
  type GroupCommitTarget,
  type GroupedChange,
} from './group-commit.js';
export { createIsoFormatter } from './iso-time.js';
export { type CatalogErrorMapper, mapCatalogErrors, mapDialectErrors } from './map-errors.js';
export { type AppliedMigration, type MigrationModule, runMigrations } from './migrate.js';
export { coreMigrations } from './migrations.js';
export { type CatalogEngine, catalogEngine, type OpenCatalogOptions, openCatalog } from './open.js';
export {
  createPostgresCatalog,
  mapPostgresError,
  type PostgresCatalogOptions,
  type PostgresUrlParts,
  parsePostgresUrl,
} from './postgres.js';
export {
  DUMP_TABLE_NAME,
  openPostgresSnapshot,
  type PostgresDumpHeader,
  type PostgresDumpTable,
  type PostgresSnapshot,
} from './postgres-backup.js';
export {
  dropRestoreSchemas,
  type LoadPostgresDumpOptions,
  listPostgresSchemaBlobs,
  loadPostgresDump,
  type PostgresDumpSource,
  postgresLiveSchema,
  restoreSchemaNames,
  swapPostgresSchemas,
} from './postgres-restore.js';
export { createQueryTemplates, type QueryTemplates, runsDirectly, templatesOf } from './query-templates.js';
export type { SearchMatch } from './search-document.js';
export {
  assertSnapshotSupported,
  checkCatalogSnapshot,
  checkSnapshotMigrations,
  listSnapshotBlobs,
  type SnapshotBlob,
  type SnapshotCatalogOptions,
  snapshotCatalog,
} from './snapshot.js';
export { createSqlCatalog, type SqlCatalogOptions } from './sql.js';
export { createSqliteCatalog, type SqliteCatalogOptions, sqlitePathFromUrl } from './sqlite.js';
