export type {
  AccountStore,
  Catalog,
  DeletedFile,
  DerivativeCatalog,
  FileCatalog,
  FileListPage,
  FileListQuery,
  FilePatch,
  JobStore,
} from './catalog.js';
export { type MigrationModule, runMigrations } from './migrate.js';
export { coreMigrations } from './migrations.js';
export { createSqlCatalog, type SqlCatalogOptions } from './sql.js';
export { createSqliteCatalog, type SqliteCatalogOptions, sqlitePathFromUrl } from './sqlite.js';
