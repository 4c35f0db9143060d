/** Styles of the Files, file and Folders screens (appended to the one stylesheet). */
export const FILES_STYLES = `
.drop-zone { border: 2px dashed var(--border); border-radius: var(--radius); padding: .75rem 1rem; background: var(--bg); }
.drop-zone.dragging { border-color: var(--accent); background: var(--accent-soft); }
.drop-hint { margin: .25rem 0 0; }
.upload-queue { list-style: none; margin: .75rem 0 0; padding: 0; display: grid; gap: .4rem; }
.upload-item { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: .25rem .75rem; align-items: center; padding: .4rem .6rem; border: 1px solid var(--border-soft); border-radius: var(--radius); background: var(--bg); }
.upload-item .file-name { overflow-wrap: anywhere; }
.upload-item progress { width: 100%; grid-column: 1 / -1; height: .6rem; accent-color: var(--accent); }
.upload-item .error-text { grid-column: 1 / -1; }
@media (min-width: 720px) { .upload-item { grid-template-columns: minmax(0, 2fr) minmax(8rem, 1fr) auto auto; } .upload-item progress { grid-column: auto; } }
.filters { margin: 1rem 0; padding: .75rem 1rem; }
.filters .toolbar { margin: .25rem 0; }
.search-row .field { flex: 1 1 16rem; }
.search-row input[type="search"] { width: 100%; }
summary { cursor: pointer; font-weight: 500; padding: .25rem 0; }
.check { display: inline-flex; align-items: center; gap: .4rem; }
.bulk-bar { position: sticky; top: 0; z-index: 2; background: var(--bg); padding: .5rem 0; border-bottom: 1px solid var(--border-soft); }
.file-grid { list-style: none; padding: 0; margin: 0; display: grid; gap: var(--gap); grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); }
@media (max-width: 420px) { .file-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: .6rem; } }
.file-card { background: var(--surface); border: 1px solid var(--border-soft); border-radius: var(--radius); overflow: hidden; display: flex; flex-direction: column; min-width: 0; }
.file-thumb { aspect-ratio: 4 / 3; background: var(--surface-2); display: flex; align-items: center; justify-content: center; overflow: hidden; }
.file-thumb img { width: 100%; height: 100%; object-fit: cover; }
.file-glyph { font-weight: 700; font-size: 1.1rem; color: var(--muted); letter-spacing: .05em; }
.file-card-body { padding: .5rem .6rem .6rem; display: flex; flex-direction: column; gap: .35rem; min-width: 0; }
.file-card-title { display: flex; gap: .4rem; align-items: flex-start; min-width: 0; }
.file-card-title input { margin-top: .2rem; flex: none; }
.file-name { overflow-wrap: anywhere; font-weight: 500; }
.file-card-meta { display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: center; font-size: .85rem; color: var(--muted); }
.snippet { margin: .25rem 0 0; font-size: .85rem; color: var(--muted); overflow-wrap: anywhere; }
mark { background: var(--warn-bg); color: var(--warn-fg); font-weight: 600; padding: 0 .1em; border-radius: 2px; }

/* A file's page */
.file-page > .card, .file-page > .split, .file-page > .notice { margin-top: 1rem; }
.split > .card, .stack > .card { margin: 0; }
.history { padding-left: 1.25rem; margin: 0; }
.file-header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin-bottom: 1rem; }
.file-header h1 { margin: 0; overflow-wrap: anywhere; }
.file-actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1rem; }
.preview { background: var(--surface-2); border-radius: var(--radius); padding: .5rem; overflow: auto; max-height: 75vh; }
.preview img { display: block; margin: 0 auto; }
.preview.zoom-fit img { max-width: 100%; max-height: 70vh; object-fit: contain; }
.preview.zoom-100 img { max-width: none; }
.preview.zoom-200 img { max-width: none; width: 200%; }
.preview video, .preview audio { display: block; width: 100%; }
.waveform { width: 100%; height: auto; background: var(--bg); border-radius: var(--radius); margin-top: .5rem; }
.pdf-pages { display: grid; gap: .75rem; }
.pdf-pages figure { margin: 0; }
.pdf-pages img { background: #fff; box-shadow: var(--shadow); }
figcaption { font-size: .85rem; color: var(--muted); text-align: center; }
.breadcrumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; padding: 0; margin: 0 0 1rem; }
.breadcrumbs li + li::before { content: "/"; margin-right: .25rem; color: var(--muted); }
.folder-list { list-style: none; padding: 0; margin: 0 0 1rem; display: grid; gap: .5rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.folder-list a { display: flex; justify-content: space-between; gap: .5rem; padding: .6rem .8rem; border: 1px solid var(--border-soft); border-radius: var(--radius); background: var(--surface); text-decoration: none; color: var(--text); }
.folder-list a:hover { border-color: var(--accent); }
.explanation li { margin: .25rem 0; }
.file-page .table th, .file-page .table td { overflow-wrap: anywhere; }
.meta-table { table-layout: fixed; }
.meta-table > tbody > tr > th { width: 38%; }
`;
