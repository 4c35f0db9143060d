import type { DerivativeRecord, FileRecord } from '@fileforge/core';
import { Notice } from '../components.js';
import { formatDate, formatSize } from '../format.js';
import { derivativeUrl } from './file-items.js';

/** Types the download route shows inline (`?inline=1`); others play or show from their derivatives. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

const byPage = (a: DerivativeRecord, b: DerivativeRecord) =>
  a.name.localeCompare(b.name, 'en', { numeric: true });

type Meta = Record<string, unknown>;
const section = (file: FileRecord, key: string): Meta | undefined => {
  const value = file.metadata[key];
  return value && typeof value === 'object' ? (value as Meta) : undefined;
};

function ZoomControls() {
  return (
    <fieldset class="toolbar zoom" data-needs-script="" hidden>
      <legend>Zoom</legend>
      <button type="button" class="btn btn-small" data-zoom="fit" aria-pressed="true">
        Fit
      </button>
      <button type="button" class="btn btn-small" data-zoom="100" aria-pressed="false">
        100 %
      </button>
      <button type="button" class="btn btn-small" data-zoom="200" aria-pressed="false">
        200 %
      </button>
    </fieldset>
  );
}

/** Splits CSV text into rows (quoted fields with the delimiter, doubled quotes). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

function CsvTable({ text, delimiter, header }: { text: string; delimiter: string; header: boolean }) {
  const rows = parseCsv(text, delimiter).slice(0, 51);
  const head = header ? rows.shift() : undefined;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">First rows of the table</caption>
        {head ? (
          <thead>
            <tr>
              {head.map((cell) => (
                <th scope="col">{cell}</th>
              ))}
            </tr>
          </thead>
        ) : null}
        <tbody>
          {rows.map((r) => (
            <tr>
              {r.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TextExcerpt({ file }: { file: FileRecord }) {
  const text = section(file, 'text');
  const excerpt = typeof text?.excerpt === 'string' ? text.excerpt : '';
  if (!excerpt) return <p class="muted">No text was extracted.</p>;
  const csv = section(file, 'csv');
  if (csv && file.mime === 'text/csv') {
    return (
      <CsvTable
        text={excerpt}
        delimiter={typeof csv.delimiter === 'string' ? csv.delimiter : ','}
        header={csv.header !== false}
      />
    );
  }
  let shown = excerpt;
  if (file.mime === 'application/json') {
    try {
      shown = JSON.stringify(JSON.parse(excerpt), null, 2);
    } catch {
      // A truncated excerpt is not valid JSON: show it as it is.
    }
  }
  return (
    <>
      <section aria-label={`Text of ${file.name}`}>
        <pre tabindex={0}>{shown}</pre>
      </section>
      {text?.truncated ? (
        <p class="muted">Only the beginning is shown; download the file for all of it.</p>
      ) : null}
    </>
  );
}

function ArchiveListing({ file }: { file: FileRecord }) {
  const archive = section(file, 'archive');
  const entries = Array.isArray(archive?.entries) ? (archive.entries as Meta[]) : [];
  return (
    <>
      <p>
        {String(archive?.entryCount ?? entries.length)} entries, {formatSize(Number(archive?.totalSize ?? 0))}{' '}
        unpacked.
      </p>
      <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">Contents of the archive</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Size
              </th>
              <th scope="col" class="num">
                Packed
              </th>
              <th scope="col">Modified</th>
            </tr>
          </thead>
          <tbody>
            {entries.slice(0, 500).map((e) => (
              <tr>
                <td>
                  {String(e.name)}
                  {e.isDirectory ? ' (folder)' : ''}
                  {e.encrypted ? ' (encrypted)' : ''}
                </td>
                <td class="num">{e.isDirectory ? '' : formatSize(Number(e.size ?? 0))}</td>
                <td class="num">{e.isDirectory ? '' : formatSize(Number(e.compressedSize ?? 0))}</td>
                <td>{formatDate(typeof e.modified === 'string' ? e.modified : null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {archive?.truncatedListing ? <p class="muted">The listing is cut short.</p> : null}
    </>
  );
}

/** The preview fit for the file's kind: image with zoom, video with poster, audio with waveform, PDF pages, text, archive. */
export function FilePreview({ file, derivatives }: { file: FileRecord; derivatives: DerivativeRecord[] }) {
  if (file.status === 'rejected') {
    return <p class="muted">A rejected file is never shown; its content stays inert.</p>;
  }
  const download = `/api/v1/files/${encodeURIComponent(file.id)}/download`;
  const of = (kind: string) => derivatives.filter((d) => d.kind === kind).sort(byPage);
  if (file.mime.startsWith('image/')) {
    const src = INLINE_IMAGES.has(file.mime)
      ? `${download}?inline=1`
      : (of('preview')[0] ?? of('thumbnail')[0]) && derivativeUrl((of('preview')[0] ?? of('thumbnail')[0])!);
    if (!src) return <p class="muted">No preview of this image could be made.</p>;
    return (
      <>
        <ZoomControls />
        <section
          class="preview zoom-fit"
          id="preview"
          tabindex={0}
          aria-label="Image preview; scroll when zoomed"
        >
          <img src={src} alt={`Preview of ${file.name}`} />
        </section>
      </>
    );
  }
  if (file.mime.startsWith('video/')) {
    const poster = of('poster')[0];
    return (
      <div class="preview">
        {/* biome-ignore lint/a11y/useMediaCaption: users' own recordings come without captions */}
        <video controls preload="metadata" src={download} poster={poster ? derivativeUrl(poster) : undefined}>
          <a href={download}>Download the video</a>
        </video>
      </div>
    );
  }
  if (file.mime.startsWith('audio/')) {
    const waveform = of('waveform')[0];
    return (
      <div class="preview">
        {/* biome-ignore lint/a11y/useMediaCaption: users' own recordings come without captions */}
        <audio controls preload="metadata" src={download}>
          <a href={download}>Download the audio</a>
        </audio>
        {waveform ? (
          <img class="waveform" src={derivativeUrl(waveform)} alt={`Waveform of ${file.name}`} />
        ) : (
          <canvas
            class="waveform"
            data-waveform-src={download}
            width={800}
            height={160}
            aria-label={`Waveform of ${file.name}`}
            role="img"
          />
        )}
      </div>
    );
  }
  if (file.mime === 'application/pdf' || of('preview').length > 0) {
    const pages = of('preview');
    const total = Number(section(file, 'pdf')?.pageCount ?? pages.length);
    if (pages.length === 0) return <p class="muted">No page images were made for this document.</p>;
    return (
      <div class="pdf-pages">
        {pages.map((page, i) => (
          <figure>
            <img
              src={derivativeUrl(page)}
              alt={`Page ${i + 1} of ${file.name}`}
              loading="lazy"
              width={page.width ?? undefined}
            />
            <figcaption>
              Page {i + 1} of {total}
            </figcaption>
          </figure>
        ))}
        {total > pages.length ? (
          <Notice>The first {pages.length} pages are shown; download the file for the rest.</Notice>
        ) : null}
      </div>
    );
  }
  if (section(file, 'archive')) return <ArchiveListing file={file} />;
  if (section(file, 'text')) return <TextExcerpt file={file} />;
  return <p class="muted">There is no preview for this kind of file ({file.mime}).</p>;
}
