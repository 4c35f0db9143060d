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
  .stack { flex-direction: column; align-items: flex-start; max-width: 22rem; } label { display: grid; gap: .2rem; }
  [hidden] { display: none !important; }
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

function layout(body: ReturnType<typeof html>) {
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
  ${body}
  <script src="/assets/app.js" defer></script>
</body>
</html>`;
}

/** The one-time setup form of a fresh install: creates the first admin. */
export function renderSetupPage() {
  return layout(html`<p>Welcome. Create the first administrator account to start.</p>
  <form id="setup" class="stack">
    <label>Email <input type="email" name="email" autocomplete="username" required></label>
    <label>Password <input type="password" name="password" autocomplete="new-password" minlength="8" required></label>
    <button type="submit">Create admin</button>
    <span id="message" role="status"></span>
  </form>`);
}

/**
 * The login form. The tenant field stays hidden until a login answers `TENANT_REQUIRED` (the
 * email and password open accounts in several tenants); the script then shows it with those
 * tenants to pick from.
 */
export function renderLoginPage() {
  return layout(html`<form id="login" class="stack">
    <label>Email <input type="email" name="email" autocomplete="username" required></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
    <label id="tenant-field" hidden>Tenant <input name="tenant" list="tenant-choices" autocomplete="organization"></label>
    <datalist id="tenant-choices"></datalist>
    <button type="submit">Log in</button>
    <span id="message" role="status"></span>
  </form>
  <p><small><a href="/docs">API reference</a></small></p>`);
}

/**
 * The start page of a logged-in user: an upload form (several files, with progress), the
 * newest files, and how to call the API with an API key.
 */
export function renderPage(files: FileRecord[], maxFileSize: number, who: { email: string; role: string }) {
  return layout(html`<p><small>Signed in as ${who.email} (${who.role}) · <a href="#" id="logout">Log out</a> · <a href="/docs">API reference</a></small></p>
  <form id="upload" action="/api/v1/files" method="post" enctype="multipart/form-data">
    <input type="file" name="file" multiple required aria-label="Files to upload">
    <button type="submit">Upload</button>
    <progress id="progress" max="100" value="0" hidden></progress>
    <span id="message" role="status"></span>
  </form>
  <p><small>Up to ${formatSize(maxFileSize)} per file. From a shell, with an API key (admins create them at
    <code>POST /api/v1/api-keys</code>):<br>
    <code>curl -H "Authorization: Bearer ff_…" -F file=@report.pdf http://localhost:8000/api/v1/files</code></small></p>
  <table>
    <thead><tr><th>Name</th><th>Type</th><th>Size</th><th>Status</th><th>SHA-256</th><th></th></tr></thead>
    <tbody id="files">${files.map(fileRow)}</tbody>
  </table>`);
}
