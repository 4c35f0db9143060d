import type { FileRecord } from '@fileforge/core';
import type { Child } from 'hono/jsx';
import { formatDate, formatDuration, formatSize, humanizeKey } from '../format.js';

/** Sections of `metadata` shown elsewhere on the page, or not worth a reader's time. */
const SKIP_SECTIONS = new Set(['detection']);
/** Fields shown in the preview (long text, archive entries) or machine-only. */
const SKIP_FIELDS = new Set(['text', 'excerpt', 'entries', 'phash', 'preview']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MAX_TEXT = 300;

/** A metadata value in readable form, chosen by its key: sizes in units, durations as h:mm:ss, dates, yes/no. */
export function readableValue(key: string, value: unknown): Child {
  if (value === null || value === undefined || value === '') return <span class="muted">—</span>;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (/duration/i.test(key)) return formatDuration(value);
    if (/^(size|bytes|totalSize|totalCompressedSize|compressedSize|fileSize)$/i.test(key))
      return formatSize(value);
    if (/bitrate/i.test(key)) return `${Math.round(value / 1000)} kbit/s`;
    if (/sampleRate/i.test(key)) return `${(value / 1000).toFixed(1)} kHz`;
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  }
  if (typeof value === 'string') {
    if (ISO_DATE.test(value)) return formatDate(value);
    return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.map(String).join(', ');
    return <MetaArray rows={value as Record<string, unknown>[]} />;
  }
  if (typeof value === 'object') return <MetaTable data={value as Record<string, unknown>} nested />;
  return String(value);
}

function MetaArray({ rows }: { rows: Record<string, unknown>[] }) {
  const columns = [...new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))].slice(
    0,
    8,
  );
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{humanizeKey(c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 50).map((r) => (
            <tr>
              {columns.map((c) => (
                <td>{readableValue(c, r?.[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One level of metadata as a two-column table (EXIF and other nested groups become nested tables). */
export function MetaTable({
  data,
  caption,
  nested,
}: {
  data: Record<string, unknown>;
  caption?: string;
  nested?: boolean;
}) {
  const entries = Object.entries(data).filter(([k]) => !SKIP_FIELDS.has(k));
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <div class={nested ? undefined : 'table-wrap'}>
      <table class="table meta-table">
        {caption ? <caption class="visually-hidden">{caption}</caption> : null}
        <tbody>
          {entries.map(([key, value]) => (
            <tr>
              <th scope="row">{humanizeKey(key)}</th>
              <td>{readableValue(key, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SECTION_TITLES: Record<string, string> = {
  generic: 'File',
  image: 'Image',
  exif: 'EXIF',
  media: 'Audio and video',
  pdf: 'PDF document',
  office: 'Office document',
  text: 'Text',
  csv: 'CSV table',
  json: 'JSON',
  archive: 'Archive',
};

/** Every extracted metadata section of the file, one titled table each. */
export function FileMetadata({ file }: { file: FileRecord }) {
  const sections = Object.entries(file.metadata).filter(
    ([key, value]) => !SKIP_SECTIONS.has(key) && value && typeof value === 'object' && !Array.isArray(value),
  ) as [string, Record<string, unknown>][];
  if (sections.length === 0) return <p class="muted">Nothing was extracted yet.</p>;
  return (
    <>
      {sections.map(([key, data]) => {
        const { exif, ...rest } = data;
        return (
          <section aria-labelledby={`meta-${key}`}>
            <h3 id={`meta-${key}`}>{SECTION_TITLES[key] ?? humanizeKey(key)}</h3>
            <MetaTable data={rest} caption={SECTION_TITLES[key] ?? humanizeKey(key)} />
            {exif && typeof exif === 'object' ? (
              <>
                <h3 id={`meta-${key}-exif`}>EXIF</h3>
                <MetaTable data={exif as Record<string, unknown>} caption="EXIF" />
              </>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
