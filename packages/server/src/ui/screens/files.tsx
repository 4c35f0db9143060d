import type { FileListQuery, UserRecord } from '@fileforge/core';
import { Notice } from '../components.js';
import type { Screen } from '../screen.js';
import { FileCard, type FileItem, FileRow, FileTableHead, pickThumbnail } from './file-items.js';
import { BulkBar, FilterForm, UploadPanel } from './files-panels.js';
import { catalogQuery, type FilesView, isFiltered, parseFilesView, viewHref } from './files-query.js';

/** Files per page. */
export const FILES_PAGE_SIZE = 48;

function Results({ items, view, selectable }: { items: FileItem[]; view: FilesView; selectable: boolean }) {
  if (view.view === 'list') {
    return (
      <div class="table-wrap">
        <table class="table" id="file-list">
          <caption class="visually-hidden">Files</caption>
          <FileTableHead selectable={selectable} />
          <tbody>
            {items.map((item) => (
              <FileRow item={item} selectable={selectable} />
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <ul class="file-grid" id="file-list" aria-label="Files">
      {items.map((item) => (
        <FileCard item={item} selectable={selectable} />
      ))}
    </ul>
  );
}

function Pager({ view, nextCursor, shown }: { view: FilesView; nextCursor: string | null; shown: number }) {
  const first = (view.page - 1) * FILES_PAGE_SIZE + 1;
  return (
    <nav class="pager" aria-label="Pages">
      <span>
        Page {view.page}
        {shown > 0 ? ` · files ${first}–${first + shown - 1}` : ''}
      </span>
      {view.page > 1 ? (
        <a class="btn btn-small" href={viewHref(view, { cursor: '', page: 1 })}>
          First page
        </a>
      ) : null}
      {nextCursor ? (
        <a
          class="btn btn-small"
          rel="next"
          href={viewHref(view, { cursor: nextCursor, page: view.page + 1 })}
        >
          Next page
        </a>
      ) : null}
    </nav>
  );
}

/**
 * `/`: the files of the tenant — upload (for roles that may), search, filters, sorting,
 * grid or list, paging, and the bulk actions on selected files. The view lives in the
 * address; the script adds drag-and-drop, progress, live status and the bulk actions.
 */
export const filesScreen: Screen = {
  id: 'files',
  path: '/',
  title: 'Files',
  permission: 'files:read',
  async render({ c, principal, services, can }) {
    const view = parseFilesView(c.req.query());
    const { forge, catalog } = services;
    const query: FileListQuery = catalogQuery(view, FILES_PAGE_SIZE);
    const page = await forge.files.list({ ...query, tenant: principal.tenant });
    const items: FileItem[] = await Promise.all(
      page.items.map(async (file) => ({
        file,
        thumbnail: pickThumbnail(await catalog.derivatives.list(file.id)),
        ...(page.matches?.[file.id] ? { match: page.matches[file.id] } : {}),
      })),
    );
    const uploaders: UserRecord[] = await catalog.accounts.listUsers(principal.tenant);
    const writable = can('files:write');
    return {
      title: view.q ? `“${view.q}” in Files` : 'Files',
      scripts: ['files.js'],
      body: (
        <div class="files-screen" data-page-size={FILES_PAGE_SIZE}>
          <h1>Files</h1>
          {c.req.query('deleted') ? <Notice>Deleted “{c.req.query('deleted')}”.</Notice> : null}
          {writable ? <UploadPanel maxFileSize={forge.options.maxFileSize} /> : null}
          <FilterForm view={view} uploaders={uploaders} />
          <h2 class="visually-hidden">Results</h2>
          <p id="result-summary">
            {items.length === 0
              ? isFiltered(view)
                ? 'No file matches.'
                : 'No files yet.'
              : view.q
                ? `Files matching “${view.q}”, best match first.`
                : `${items.length}${page.nextCursor ? '+' : ''} file${items.length === 1 ? '' : 's'}.`}
          </p>
          {items.length === 0 && !isFiltered(view) && writable ? (
            <Notice>Drop files on the upload box above, or choose them with the Files button.</Notice>
          ) : null}
          {writable && items.length > 0 ? <BulkBar /> : null}
          {items.length > 0 ? <Results items={items} view={view} selectable={writable} /> : null}
          <Pager view={view} nextCursor={page.nextCursor} shown={items.length} />
        </div>
      ),
    };
  },
};
