import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { FileRecord } from '../model/index.js';
import type { SorterRuntime } from './runtime.js';

/** One sub-folder in a {@link FolderListing}. */
export interface FolderEntry {
  name: string;
  /** Relative path of the folder (`invoices/2026`). */
  path: string;
  /** Files anywhere under it. */
  fileCount: number;
}

/** One level of the sorted tree: its sub-folders (first, by name) and its files (by name), paginated together. */
export interface FolderListing {
  path: string;
  folders: FolderEntry[];
  files: FileRecord[];
  nextCursor: string | null;
}

/** Paging for {@link listFolder}. */
export interface FolderPage {
  cursor?: string;
  /** @default 50 (at most 500) */
  limit?: number;
}

const invalid = (message: string, path: string) =>
  new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:sorter] ${message}`, {
    details: { fields: [{ path, message }] },
  });

/** A folder path as the tree spells it: relative, posix, no `.`/`..`/empty segments, no trailing slash. */
export function normalizeFolder(path: string): string {
  const folder = path.replace(/^\/+|\/+$/g, '');
  if (folder === '') return '';
  if (
    folder.includes('\\') ||
    folder.includes('\0') ||
    folder.split('/').some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw invalid('Not a folder of the sorted tree', 'path');
  }
  return folder;
}

/**
 * Lists one level of a tenant's sorted tree. Sub-folders come first (by name) with the number
 * of files under each, then the files at this level (by name); the cursor pages through both.
 */
export async function listFolder(
  rt: SorterRuntime,
  tenant: string,
  path: string,
  page: FolderPage = {},
): Promise<FolderListing> {
  const folder = normalizeFolder(path);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const prefix = folder === '' ? '' : `${folder}/`;
  const counts = new Map<string, number>();
  const files: Array<{ id: string; name: string }> = [];
  for (const row of await rt.store.tree.pathsUnder(tenant, folder)) {
    const rest = row.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) files.push({ id: row.id, name: rest });
    else counts.set(rest.slice(0, slash), (counts.get(rest.slice(0, slash)) ?? 0) + 1);
  }
  const entries = [
    ...[...counts.keys()].sort().map((name) => ({ key: `d:${name}`, name, id: null as string | null })),
    ...files
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ key: `f:${f.name}`, name: f.name, id: f.id })),
  ];
  let start = 0;
  if (page.cursor) {
    const after = Buffer.from(page.cursor, 'base64url').toString('utf8');
    start = entries.findIndex((e) => e.key === after) + 1;
    if (start === 0) throw invalid('Not a cursor returned by this API', 'cursor');
  }
  const slice = entries.slice(start, start + limit);
  const records: FileRecord[] = [];
  for (const e of slice) {
    if (e.id === null) continue;
    const record = await rt.ctx.catalog.files.get(tenant, e.id);
    if (record) records.push(record);
  }
  const last = slice.at(-1);
  return {
    path: folder,
    folders: slice
      .filter((e) => e.id === null)
      .map((e) => ({ name: e.name, path: `${prefix}${e.name}`, fileCount: counts.get(e.name) ?? 0 })),
    files: records,
    nextCursor:
      start + limit < entries.length && last ? Buffer.from(last.key, 'utf8').toString('base64url') : null,
  };
}
