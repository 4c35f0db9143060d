import type { UserRecord } from '@fileforge/core';
import { Dialog, Field, FormStatus } from '../components.js';
import { formatSize } from '../format.js';
import { FAMILIES, type FilesView, isFiltered, SORTS, STATUSES } from './files-query.js';

/**
 * The upload area: a plain multipart form (works without script: the browser posts it), which
 * the script turns into a drop zone with one progress bar, status and cancel button per file.
 */
export function UploadPanel({ maxFileSize }: { maxFileSize: number }) {
  return (
    <section class="card upload-panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload</h2>
      <div id="drop-zone" class="drop-zone">
        <form id="upload" action="/api/v1/files" method="post" enctype="multipart/form-data" class="toolbar">
          <label class="field">
            <span>Files</span>
            <input type="file" name="file" multiple required id="upload-files" />
          </label>
          <label class="field" data-needs-script="" hidden>
            <span>A folder</span>
            <input type="file" id="upload-folder" webkitdirectory="" multiple />
          </label>
          <button type="submit" class="btn btn-primary">
            Upload
          </button>
        </form>
        <p class="muted drop-hint">
          Or drop files{' '}
          <span data-needs-script="" hidden>
            and folders
          </span>{' '}
          anywhere on this box. Up to {formatSize(maxFileSize)} each.
        </p>
      </div>
      <ul id="upload-queue" class="upload-queue" aria-label="Uploads" hidden />
    </section>
  );
}

function Select({
  name,
  label,
  value,
  options,
  any = 'Any',
}: {
  name: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  any?: string | null;
}) {
  return (
    <Field label={label}>
      <select name={name}>
        {any !== null ? <option value="">{any}</option> : null}
        {options.map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Search, filters, sorting and the view switch: a GET form, so every result has an address. */
export function FilterForm({ view, uploaders }: { view: FilesView; uploaders: readonly UserRecord[] }) {
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for some screen readers; the role is understood everywhere
    <form method="get" action="/" class="card filters" role="search" aria-label="Search and filter files">
      <div class="toolbar search-row">
        <Field label="Search" hint="names, text inside files, titles, authors, EXIF">
          <input type="search" name="q" value={view.q} id="search-q" />
        </Field>
        <button type="submit" class="btn btn-primary">
          Search
        </button>
        {isFiltered(view) ? (
          <a class="btn btn-quiet" href={view.view === 'list' ? '/?view=list' : '/'}>
            Clear
          </a>
        ) : null}
      </div>
      <details open={isFiltered(view) && !view.q ? true : undefined}>
        <summary>Filters and sorting</summary>
        <div class="toolbar">
          <Select
            name="type"
            label="Type"
            value={view.type}
            options={FAMILIES.map((f) => [f, cap(f)] as const)}
          />
          <Select
            name="status"
            label="Status"
            value={view.status}
            options={STATUSES.map((s) => [s, s] as const)}
          />
          <Field label="Category">
            <input name="category" value={view.category} />
          </Field>
          <Field label="Folder">
            <input name="folder" value={view.folder} placeholder="invoices/2026" />
          </Field>
          <Field label="Uploaded from">
            <input type="date" name="from" value={view.from} />
          </Field>
          <Field label="Uploaded to">
            <input type="date" name="to" value={view.to} />
          </Field>
          {uploaders.length > 0 ? (
            <Select
              name="uploader"
              label="Uploader"
              value={view.uploader}
              options={uploaders.map((u) => [u.id, u.email] as const)}
            />
          ) : null}
          <Select name="sort" label="Sort by" value={view.sort} options={SORTS} any="Default" />
          <Select
            name="order"
            label="Order"
            value={view.order}
            any={null}
            options={[
              ['desc', 'Descending (newest, largest first)'],
              ['asc', 'Ascending (A→Z, oldest first)'],
            ]}
          />
          <Select
            name="view"
            label="Show as"
            value={view.view}
            any={null}
            options={[
              ['grid', 'Grid of thumbnails'],
              ['list', 'List'],
            ]}
          />
          <button type="submit" class="btn">
            Apply
          </button>
        </div>
      </details>
    </form>
  );
}

/** The bulk actions on the selected files (shown by the script, which does the work). */
export function BulkBar() {
  return (
    <>
      <form id="bulk" class="toolbar bulk-bar" data-needs-script="" hidden aria-label="Selected files">
        <label class="check">
          <input type="checkbox" id="select-all" /> Select all on this page
        </label>
        <span id="selected-count" class="muted">
          0 selected
        </span>
        <span class="spacer" />
        <button type="button" class="btn btn-small" data-bulk="reprocess" disabled>
          Reprocess
        </button>
        <button type="button" class="btn btn-small" data-ff-dialog="move-dialog" data-bulk-open="" disabled>
          Move…
        </button>
        <button
          type="button"
          class="btn btn-small"
          data-ff-dialog="category-dialog"
          data-bulk-open=""
          disabled
        >
          Re-categorise…
        </button>
        <button type="button" class="btn btn-small btn-danger" data-bulk="delete" disabled>
          Delete
        </button>
      </form>
      <Dialog id="move-dialog" title="Move the selected files">
        <form method="dialog" class="stack" data-bulk-form="move">
          <Field label="Destination folder" hint="e.g. archive/2026">
            <input name="folder" required />
          </Field>
          <FormStatus />
          <div class="actions">
            <button type="submit" class="btn" value="cancel" formnovalidate>
              Cancel
            </button>
            <button type="submit" class="btn btn-primary" value="ok">
              Move
            </button>
          </div>
        </form>
      </Dialog>
      <Dialog id="category-dialog" title="Re-categorise the selected files">
        <form method="dialog" class="stack" data-bulk-form="categorize">
          <Field label="Category">
            <input name="category" required />
          </Field>
          <FormStatus />
          <div class="actions">
            <button type="submit" class="btn" value="cancel" formnovalidate>
              Cancel
            </button>
            <button type="submit" class="btn btn-primary" value="ok">
              Save category
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
