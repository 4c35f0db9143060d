import { ErrorCode, FileForgeError, type FileRecord } from '@fileforge/core';
import { Card, Notice, StatusBadge } from '../components.js';
import { mismatchInWords, problemInWords } from '../file-words.js';
import { formatDate, formatSize } from '../format.js';
import type { Screen } from '../screen.js';
import { fileHistory } from './file-history.js';
import { FileMetadata } from './file-metadata.js';
import { FilePreview } from './file-preview.js';
import { ClassificationCard, DerivativesTable, HistoryList, TreePlace } from './file-sections.js';

function Problems({ file }: { file: FileRecord }) {
  return (
    <>
      {file.error && (file.status === 'rejected' || file.status === 'failed') ? (
        <Notice tone="bad">
          <strong>{file.status === 'rejected' ? 'Rejected: ' : 'Processing failed: '}</strong>
          {problemInWords(file.error)} <span class="muted">(code {file.error.code})</span>
        </Notice>
      ) : null}
      {file.typeMismatch ? (
        <Notice tone="warn">
          <strong>Type mismatch. </strong>
          {mismatchInWords(file).join(' ')}
        </Notice>
      ) : null}
      {file.damaged ? (
        <Notice tone="bad">
          <strong>Damaged: </strong>
          {file.damaged.reason === 'blob_missing'
            ? 'the stored content is missing.'
            : 'the stored content no longer matches its checksum.'}{' '}
          It is not served.
        </Notice>
      ) : null}
    </>
  );
}

/**
 * `/files/:id`: one file — its preview, problems in words, facts and every extracted
 * metadata field, classification with "correct the category", place in the sorted tree,
 * derivatives, history, and download / reprocess / delete for roles that may.
 */
export const fileScreen: Screen = {
  id: 'file',
  section: 'files',
  path: '/files/:id',
  title: 'File',
  permission: 'files:read',
  async render({ c, principal, services, can }) {
    const id = c.req.param('id') ?? '';
    const file = await services.forge.files.get(id, { tenant: principal.tenant });
    if (!file)
      throw new FileForgeError(ErrorCode.NOT_FOUND, 'There is no such file (it may have been deleted).');
    const derivatives = await services.catalog.derivatives.list(file.id);
    const owner = file.ownerId ? await services.catalog.accounts.getUser(file.ownerId) : null;
    const history = await fileHistory(services.forge, file);
    const writable = can('files:write');
    const download = `/api/v1/files/${encodeURIComponent(file.id)}/download`;
    return {
      title: file.name,
      scripts: ['file.js'],
      body: (
        <article class="file-page" data-file-id={file.id} data-file-name={file.name}>
          <p>
            <a href="/">← Files</a>
          </p>
          <div class="file-header">
            <h1>{file.name}</h1>
            <StatusBadge status={file.status} />
            {file.typeMismatch ? <span class="badge badge-warn">type mismatch</span> : null}
          </div>
          <div class="file-actions">
            {file.status !== 'rejected' && !file.damaged ? (
              <a class="btn btn-primary" href={download} download="">
                Download
              </a>
            ) : null}
            {writable ? (
              <>
                <button type="button" class="btn" data-file-action="reprocess" data-needs-script="" hidden>
                  Reprocess
                </button>
                <button
                  type="button"
                  class="btn btn-danger"
                  data-file-action="delete"
                  data-needs-script=""
                  hidden
                >
                  Delete
                </button>
              </>
            ) : null}
          </div>
          <p id="file-live" class="notice" hidden />
          <Problems file={file} />
          <div class="split">
            <Card title="Preview" id="preview-card">
              <FilePreview file={file} derivatives={derivatives} />
            </Card>
            <div class="stack">
              <Card title="About this file">
                <dl class="facts">
                  <dt>Type</dt>
                  <dd>
                    {file.mime}
                    {file.declaredMime && file.declaredMime !== file.mime
                      ? ` (declared ${file.declaredMime})`
                      : ''}
                  </dd>
                  <dt>Size</dt>
                  <dd>{formatSize(file.size)}</dd>
                  <dt>Uploaded</dt>
                  <dd>{formatDate(file.createdAt)}</dd>
                  <dt>By</dt>
                  <dd>{owner?.email ?? (file.apiKeyId ? 'an API key' : 'the server')}</dd>
                  <dt>SHA-256</dt>
                  <dd class="mono">{file.sha256}</dd>
                  {file.duplicateOf ? (
                    <>
                      <dt>Duplicate of</dt>
                      <dd>
                        <a href={`/files/${file.duplicateOf}`}>an earlier upload with the same content</a>
                      </dd>
                    </>
                  ) : null}
                </dl>
                <h3>Place in the sorted tree</h3>
                <TreePlace path={file.path} />
              </Card>
              <ClassificationCard file={file} canCorrect={can('sorter:write')} />
            </div>
          </div>
          <Card title="Metadata" id="metadata">
            <FileMetadata file={file} />
          </Card>
          <div class="split">
            <Card title="Derivatives">
              <DerivativesTable derivatives={derivatives} />
            </Card>
            <Card title="History" id="history">
              <HistoryList entries={history} />
            </Card>
          </div>
        </article>
      ),
    };
  },
};
