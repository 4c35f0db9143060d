import { ErrorCode, FileForgeError } from '@fileforge/core';
import { Notice } from '../components.js';
import type { Screen } from '../screen.js';
import { FileRow, FileTableHead } from './file-items.js';
import { TreePlace } from './file-sections.js';

const PAGE = 100;
const folderHref = (path: string, extra: Record<string, string> = {}) => {
  const params = new URLSearchParams({ ...(path ? { path } : {}), ...extra });
  const qs = params.toString();
  return qs ? `/folders?${qs}` : '/folders';
};

/**
 * `/folders?path=invoices/2026`: one level of the sorted tree — its sub-folders with how
 * many files each holds, then the files filed directly in it, paged.
 */
export const foldersScreen: Screen = {
  id: 'folders',
  path: '/folders',
  title: 'Folders',
  permission: 'sorter:read',
  async render({ c, principal, services }) {
    const path = (c.req.query('path') ?? '').replace(/^\/+|\/+$/g, '');
    const cursor = c.req.query('cursor');
    let listing: Awaited<ReturnType<typeof services.forge.sorter.folders>>;
    try {
      listing = await services.forge.sorter.folders(principal.tenant, path, {
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
    } catch (error) {
      if (FileForgeError.is(error) && error.code === ErrorCode.VALIDATION_FAILED) {
        throw new FileForgeError(ErrorCode.NOT_FOUND, `“${path}” is not a folder of the sorted tree.`);
      }
      throw error;
    }
    const name = path.split('/').pop() || 'Sorted tree';
    return {
      title: path ? `${name} · Folders` : 'Folders',
      body: (
        <>
          <h1>{path ? name : 'Folders'}</h1>
          {path ? <TreePlace path={path} /> : <p class="muted">Where the sorter filed your files.</p>}
          {listing.folders.length > 0 ? (
            <section aria-labelledby="subfolders">
              <h2 id="subfolders">Folders</h2>
              <ul class="folder-list">
                {listing.folders.map((f) => (
                  <li>
                    <a href={folderHref(f.path)}>
                      <span>{f.name}</span>
                      <span class="muted">
                        {f.fileCount} file{f.fileCount === 1 ? '' : 's'}
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="folder-files">
            <h2 id="folder-files">Files here</h2>
            {listing.files.length === 0 ? (
              <Notice>
                {path
                  ? 'No file is filed directly in this folder.'
                  : 'No file has been filed yet: files land in the tree when a sorting rule gives them a destination.'}
              </Notice>
            ) : (
              <div class="table-wrap">
                <table class="table">
                  <caption class="visually-hidden">Files in {path || 'the top folder'}</caption>
                  <FileTableHead selectable={false} />
                  <tbody>
                    {listing.files.map((file) => (
                      <FileRow item={{ file, thumbnail: null }} selectable={false} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <nav class="pager" aria-label="Pages">
              {cursor ? (
                <a class="btn btn-small" href={folderHref(path)}>
                  First page
                </a>
              ) : null}
              {listing.nextCursor ? (
                <a class="btn btn-small" rel="next" href={folderHref(path, { cursor: listing.nextCursor })}>
                  Next page
                </a>
              ) : null}
            </nav>
            <p>
              <a href={`/?folder=${encodeURIComponent(path)}`}>
                Search and filter everything under this folder
              </a>
            </p>
          </section>
        </>
      ),
    };
  },
};
