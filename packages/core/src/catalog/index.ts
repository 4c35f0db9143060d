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
export { createSqlCatalog, type SqlCatalogOptions } from './sql.js';
export { createSqliteCatalog, type SqliteCatalogOptions, sqlitePathFromUrl } from './sqlite.js';
