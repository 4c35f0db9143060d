import type { DerivativeRecord, FileRecord } from '@fileforge/core';
import { StatusBadge } from '../components.js';
import { formatDate, formatSize } from '../format.js';

/** A search hit's snippet: plain text with the matched words' offsets. */
export interface Snippet {
  snippet: string;
  highlights: Array<{ start: number; end: number }>;
}

/** A file as the list shows it: the record, its picture (if any) and where a search matched. */
export interface FileItem {
  file: FileRecord;
  thumbnail: DerivativeRecord | null;
  match?: Snippet;
}

const THUMBNAIL_ORDER = ['thumbnail', 'poster', 'preview', 'waveform'];

/** The derivative that best stands for the file in a grid (thumbnail, poster, first page, waveform). */
export function pickThumbnail(derivatives: readonly DerivativeRecord[]): DerivativeRecord | null {
  for (const kind of THUMBNAIL_ORDER) {
    const found = derivatives
      .filter((d) => d.kind === kind && d.mime.startsWith('image/'))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))[0];
    if (found) return found;
  }
  return null;
}

/** A short word for the kind of file, shown where there is no picture. */
export function kindWord(mime: string): string {
  if (mime === 'application/pdf') return 'PDF';
  if (mime.startsWith('image/')) return 'Image';
  if (mime.startsWith('video/')) return 'Video';
  if (mime.startsWith('audio/')) return 'Audio';
  if (mime === 'text/csv') return 'CSV';
  if (mime === 'application/json') return 'JSON';
  if (mime.startsWith('text/')) return 'Text';
  if (/zip|tar|gzip|x-7z|rar|compressed/.test(mime)) return 'Archive';
  if (/officedocument|msword|ms-excel|ms-powerpoint|opendocument/.test(mime)) return 'Office';
  return 'File';
}

export const derivativeUrl = (d: Pick<DerivativeRecord, 'fileId' | 'name'>) =>
  `/api/v1/files/${encodeURIComponent(d.fileId)}/derivatives/${encodeURIComponent(d.name)}`;

/** The snippet with its matched words in `<mark>`. */
export function SnippetText({ match }: { match: Snippet }) {
  const parts: (string | ReturnType<typeof Mark>)[] = [];
  let at = 0;
  for (const { start, end } of [...match.highlights].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    parts.push(match.snippet.slice(at, start));
    parts.push(<Mark text={match.snippet.slice(start, end)} />);
    at = end;
  }
  parts.push(match.snippet.slice(at));
  return <p class="snippet">{parts}</p>;
}

function Mark({ text }: { text: string }) {
  return <mark>{text}</mark>;
}

function SelectBox({ file }: { file: FileRecord }) {
  return (
    <input
      type="checkbox"
      class="select-file"
      name="id"
      value={file.id}
      form="bulk"
      aria-label={`Select ${file.name}`}
      data-name={file.name}
    />
  );
}

/** One file in the grid view. `selectable` adds the checkbox of the bulk actions. */
export function FileCard({ item, selectable }: { item: FileItem; selectable: boolean }) {
  const { file, thumbnail } = item;
  return (
    <li class="file-card" data-file-id={file.id}>
      <div class="file-thumb">
        {thumbnail ? (
          <img src={derivativeUrl(thumbnail)} alt="" loading="lazy" width={thumbnail.width ?? undefined} />
        ) : (
          <span class="file-glyph" aria-hidden="true">
            {kindWord(file.mime)}
          </span>
        )}
      </div>
      <div class="file-card-body">
        <div class="file-card-title">
          {selectable ? <SelectBox file={file} /> : null}
          <a href={`/files/${file.id}`} class="file-name">
            {file.name}
          </a>
        </div>
        <div class="file-card-meta">
          <StatusBadge status={file.status} />
          <span>{formatSize(file.size)}</span>
          <span>{kindWord(file.mime)}</span>
        </div>
        {item.match ? <SnippetText match={item.match} /> : null}
      </div>
    </li>
  );
}

/** The header row of a file table, matching {@link FileRow}'s cells. */
export function FileTableHead({ selectable }: { selectable: boolean }) {
  return (
    <thead>
      <tr>
        {selectable ? (
          <th scope="col">
            <span class="visually-hidden">Selected</span>
          </th>
        ) : null}
        <th scope="col">Name</th>
        <th scope="col">Type</th>
        <th scope="col" class="num">
          Size
        </th>
        <th scope="col">Status</th>
        <th scope="col">Category</th>
        <th scope="col">Uploaded</th>
      </tr>
    </thead>
  );
}

/** One file in the list view. */
export function FileRow({ item, selectable }: { item: FileItem; selectable: boolean }) {
  const { file } = item;
  return (
    <tr data-file-id={file.id}>
      {selectable ? (
        <td>
          <SelectBox file={file} />
        </td>
      ) : null}
      <td>
        <a href={`/files/${file.id}`} class="file-name">
          {file.name}
        </a>
        {file.typeMismatch ? (
          <>
            {' '}
            <span class="badge badge-warn">type mismatch</span>
          </>
        ) : null}
        {item.match ? <SnippetText match={item.match} /> : null}
      </td>
      <td>{file.mime}</td>
      <td class="num">{formatSize(file.size)}</td>
      <td>
        <StatusBadge status={file.status} />
      </td>
      <td>{file.category ?? <span class="muted">none</span>}</td>
      <td>{formatDate(file.createdAt)}</td>
    </tr>
  );
}
