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
 * Counting and paging happen in the catalog, so a folder of 100,000 files costs one page of
 * records in memory, not 100,000 paths.
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
  let after: { kind: 'd' | 'f'; name: string } | null = null;
  if (page.cursor) {
    const key = Buffer.from(page.cursor, 'base64url').toString('utf8');
    const kind = key.slice(0, 2);
    // No name holds NUL (PostgreSQL refuses it in a query): such a cursor was not handed out.
    if ((kind !== 'd:' && kind !== 'f:') || key.includes('\0')) {
      throw invalid('Not a cursor returned by this API', 'cursor');
    }
    after = { kind: kind === 'd:' ? 'd' : 'f', name: key.slice(2) };
  }
  const cursorOf = (kind: 'd' | 'f', name: string) =>
    Buffer.from(`${kind}:${name}`, 'utf8').toString('base64url');

  // One more than asked tells whether another page follows.
  const subFolders =
    after?.kind === 'f' ? [] : await rt.store.tree.subFolders(tenant, folder, after?.name ?? null, limit + 1);
  const folders: FolderEntry[] = subFolders
    .slice(0, limit)
    .map((f) => ({ name: f.name, path: `${prefix}${f.name}`, fileCount: f.fileCount }));
  if (subFolders.length > limit) {
    return { path: folder, folders, files: [], nextCursor: cursorOf('d', folders.at(-1)?.name as string) };
  }
  const room = limit - folders.length;
  const fileRows =
    room === 0
      ? await rt.store.tree.filesIn(tenant, folder, after?.kind === 'f' ? after.name : null, 1)
      : await rt.store.tree.filesIn(tenant, folder, after?.kind === 'f' ? after.name : null, room + 1);
  const shown = fileRows.slice(0, room);
  const records: FileRecord[] = [];
  for (const row of shown) {
    const record = await rt.ctx.catalog.files.get(tenant, row.id);
    if (record) records.push(record);
  }
  const more = fileRows.length > room;
  const last = shown.at(-1);
  return {
    path: folder,
    folders,
    files: records,
    nextCursor: !more
      ? null
      : last
        ? cursorOf('f', last.name)
        : cursorOf('d', folders.at(-1)?.name as string),
  };
}
