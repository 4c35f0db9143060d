import type { FileRecord } from '@fileforge/core';
import { html, raw } from 'hono/html';

const formatSize = (bytes: number) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
};

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d1d1f; }
  h1 { font-size: 1.5rem; } table { border-collapse: collapse; width: 100%; margin-top: 1.5rem; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  code { font-size: .8em; word-break: break-all; } .status-failed, .status-rejected { color: #b00020; }
  .status-processed { color: #1b7f3b; } progress { width: 20rem; } .warn { color: #a15c00; }
  form { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
`;

/** Renders one table row of the file list. */
export function fileRow(f: FileRecord) {
  return html`<tr data-id="${f.id}">
    <td>${f.name}${f.typeMismatch ? html` <span class="warn" title="The name or declared type does not match the content">⚠ mismatch</span>` : ''}</td>
    <td>${f.mime}</td>
    <td>${formatSize(f.size)}</td>
    <td class="status-${f.status}">${f.status}${f.error ? html`: ${f.error.code}` : ''}</td>
    <td><code>${f.sha256}</code></td>
    <td><a href="/api/v1/files/${f.id}/download">download</a></td>
  </tr>`;
}

/**
 * The server-rendered start page: an upload form (several files, with progress) and the
 * newest files. Its script is served from `/assets/app.js` so the page's CSP can forbid
 * inline scripts.
 */
export function renderPage(files: FileRecord[], maxFileSize: number) {
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>FileForge</title>
  <style>${raw(STYLE)}</style>
</head>
<body>
  <h1>FileForge</h1>
  <form id="upload" action="/api/v1/files" method="post" enctype="multipart/form-data">
    <input type="file" name="file" multiple required aria-label="Files to upload">
    <button type="submit">Upload</button>
    <progress id="progress" max="100" value="0" hidden></progress>
    <span id="message" role="status"></span>
  </form>
  <p><small>Up to ${formatSize(maxFileSize)} per file. From a shell:
    <code>curl -F file=@report.pdf http://localhost:8000/api/v1/files</code></small></p>
  <table>
    <thead><tr><th>Name</th><th>Type</th><th>Size</th><th>Status</th><th>SHA-256</th><th></th></tr></thead>
    <tbody id="files">${files.map(fileRow)}</tbody>
  </table>
  <script src="/assets/app.js" defer></script>
</body>
</html>`;
}
