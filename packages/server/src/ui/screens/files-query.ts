import type { FileListQuery } from '@fileforge/core';
import { MAX_CURSOR_CHARS } from '../../schemas/files.js';

/** The families the type filter offers (the catalog's type families). */
export const FAMILIES = ['image', 'video', 'audio', 'document', 'archive', 'other'] as const;
/** The statuses the status filter offers. */
export const STATUSES = ['pending', 'processing', 'processed', 'failed', 'rejected'] as const;
/** The sort orders offered, with their labels. */
export const SORTS = [
  ['relevance', 'Best match (with a search)'],
  ['created', 'Upload date'],
  ['updated', 'Last change'],
  ['name', 'Name'],
  ['size', 'Size'],
] as const;

/** The Files screen's state, all of it in the address (so every view can be linked and reloaded). */
export interface FilesView {
  q: string;
  type: string;
  status: string;
  category: string;
  folder: string;
  from: string;
  to: string;
  uploader: string;
  sort: string;
  order: 'asc' | 'desc';
  view: 'grid' | 'list';
  cursor: string;
  /** 1-based number of the page shown (for the "page n" label; the cursor does the work). */
  page: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[]): T | '' =>
  allowed.includes(value as T) ? (value as T) : '';

/** Reads the view from the query string, dropping values that are not allowed. */
export function parseFilesView(params: Record<string, string | undefined>): FilesView {
  const text = (key: string, max = 200) => (params[key] ?? '').trim().slice(0, max);
  const page = Number.parseInt(params.page ?? '1', 10);
  return {
    q: text('q', 500),
    type: oneOf(params.type, FAMILIES),
    status: oneOf(params.status, STATUSES),
    category: text('category'),
    folder: text('folder', 1000).replace(/^\/+|\/+$/g, ''),
    from: DATE.test(params.from ?? '') ? (params.from as string) : '',
    to: DATE.test(params.to ?? '') ? (params.to as string) : '',
    uploader: text('uploader', 100),
    sort: oneOf(
      params.sort,
      SORTS.map(([value]) => value),
    ),
    order: params.order === 'asc' ? 'asc' : 'desc',
    view: params.view === 'list' ? 'list' : 'grid',
    // As long as the API's cursors get (a 255-byte name sorted by name: about 750 characters).
    cursor: text('cursor', MAX_CURSOR_CHARS),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** The catalog query of a view (a page of `limit` files). */
export function catalogQuery(view: FilesView, limit: number): FileListQuery {
  const query: FileListQuery = { limit, order: view.order };
  if (view.q) query.q = view.q;
  if (view.type) query.typeFamily = view.type as FileListQuery['typeFamily'];
  if (view.status) query.status = view.status as FileListQuery['status'];
  if (view.category) query.category = view.category;
  if (view.folder) query.pathPrefix = view.folder;
  if (view.from) query.createdFrom = `${view.from}T00:00:00.000Z`;
  if (view.to) query.createdTo = `${view.to}T23:59:59.999Z`;
  if (view.uploader) query.uploader = view.uploader;
  if (view.sort && (view.sort !== 'relevance' || view.q)) query.sort = view.sort as FileListQuery['sort'];
  if (view.cursor) query.cursor = view.cursor;
  return query;
}

/** The address of `view` with some fields changed (empty values are left out). */
export function viewHref(view: FilesView, change: Partial<FilesView> = {}): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(next)) {
    if (value === '' || value === undefined) continue;
    if (key === 'order' && value === 'desc') continue;
    if (key === 'view' && value === 'grid') continue;
    if (key === 'page' && value === 1) continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `/?${qs}` : '/';
}

/** True when any filter or search narrows the list. */
export function isFiltered(view: FilesView): boolean {
  return Boolean(
    view.q ||
      view.type ||
      view.status ||
      view.category ||
      view.folder ||
      view.from ||
      view.to ||
      view.uploader,
  );
}
