import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileRecord, Processor } from '@fileforge/core';
import { CsvError, parse } from 'csv-parse';
import { checkInteger } from '../options/check.js';
import type { TextEncoding } from '../text-decoder.js';
import { planTextReading } from '../text-encoding.js';
import { type CsvDelimiter, detectDelimiter, isFormulaCell, looksLikeHeader } from './csv-dialect.js';
import { decodeChunks, NotUtf8Error } from './text-chunks.js';

/** Options for {@link createCsvProcessor}. */
export interface CsvProcessorOptions {
  /**
   * Longest record in characters. An unterminated quote would otherwise make the parser buffer
   * the rest of the file as one field; past the cap the file is reported `valid: false`.
   * @default 1048576
   */
  maxRecordChars?: number;
  /** Column names kept in `columns` (the first ones); `columnCount` is always exact. @default 256 */
  maxColumnNames?: number;
}

/** What the CSV processor stores under `metadata.csv`. */
export type CsvMetadata = {
  /** The whole file parsed; when false, `error` and `errorLine` say where it stopped. */
  valid: boolean;
  error?: string;
  errorLine?: number;
  encoding: TextEncoding;
  delimiter: CsvDelimiter;
  /** The first row was taken as a header (all cells non-empty, non-numeric and unique). */
  header: boolean;
  /** The header's column names (at most `maxColumnNames`, each at most 256 characters); `null` without a header. */
  columns: string[] | null;
  /** Fields in the first row. */
  columnCount: number;
  /** Data rows, the header excluded; empty lines are skipped. */
  rowCount: number;
  /** Data rows with a different number of fields than the first row. */
  inconsistentRows: number;
  /** Cells a spreadsheet would run as formulas (`=`, `+`, `-`, `@`; CSV injection). Flagged, not refused. */
  formulaCells: number;
};

/** Characters of the file's start used to pick the delimiter. */
const SNIFF_CHARS = 16 * 1024;
const CSV_EXTS = new Set(['csv', 'tsv']);
/** Declared types meaning CSV; Windows browsers send `application/vnd.ms-excel` for `.csv`. */
const CSV_MIMES = new Set([
  'text/csv',
  'text/x-csv',
  'application/csv',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
]);

const nameExt = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? null;

/** What ingest records a `.csv` / `.tsv` whose bytes are text as. */
const DETECTED_CSV = new Set(['text/csv', 'text/tab-separated-values']);

/**
 * Whether a record is CSV: ingest records a text file named `.csv` / `.tsv` as `text/csv` /
 * `text/tab-separated-values`. Files recorded before that are `text/plain`, and single-byte
 * encodings fail the UTF-8 check and are `application/octet-stream`: for those the name
 * (`.csv`, `.tsv`) or the declared type decides. Content is not sniffed here: `accepts` sees
 * only the record.
 */
export function isCsvRecord(record: FileRecord): boolean {
  if (DETECTED_CSV.has(record.mime)) return true;
  const ext = nameExt(record.name);
  const named = ext !== null && CSV_EXTS.has(ext);
  if (record.mime === 'application/octet-stream') return named;
  return record.mime === 'text/plain' && (named || CSV_MIMES.has(record.declaredMime ?? ''));
}

/** Counts as records stream past; holds only the header. */
class CsvStats {
  first = true;
  rows = 0;
  columns: string[] | null = null;
  columnCount = 0;
  header = false;
  inconsistentRows = 0;
  formulaCells = 0;

  constructor(readonly maxColumnNames: number) {}

  add(record: string[]): void {
    if (this.first) {
      this.first = false;
      this.columnCount = record.length;
      this.header = looksLikeHeader(record);
      if (this.header) {
        this.columns = record.slice(0, this.maxColumnNames).map((name) => name.trim().slice(0, 256));
        return;
      }
    }
    this.rows++;
    if (record.length !== this.columnCount) this.inconsistentRows++;
    for (const cell of record) if (isFormulaCell(cell)) this.formulaCells++;
  }
}

async function analyse(
  file: { open(): Promise<Readable> },
  encoding: string | undefined,
  options: Required<CsvProcessorOptions> & { preferTab: boolean; signal: AbortSignal },
): Promise<CsvMetadata> {
  const decoded = decodeChunks(await file.open(), encoding);
  const head: string[] = [];
  let headChars = 0;
  let ended = false;
  while (headChars < SNIFF_CHARS) {
    const next = await decoded.chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headChars += next.value.length;
  }
  const sample = head.join('');
  const delimiter = detectDelimiter(
    sample.slice(0, SNIFF_CHARS),
    ended && sample.length <= SNIFF_CHARS,
    options.preferTab ? '\t' : undefined,
  );
  async function* text(): AsyncGenerator<string> {
    yield sample;
    if (!ended) yield* decoded.chunks;
  }
  const stats = new CsvStats(options.maxColumnNames);
  let failure: { error: string; errorLine?: number } | undefined;
  try {
    await pipeline(
      Readable.from(text()),
      parse({
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        max_record_size: options.maxRecordChars,
      }),
      async (records: AsyncIterable<string[]>) => {
        for await (const record of records) stats.add(record);
      },
      { signal: options.signal },
    );
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    failure = {
      error: error.message,
      ...(typeof error.lines === 'number' ? { errorLine: error.lines } : {}),
    };
  }
  return {
    valid: failure === undefined,
    ...failure,
    encoding: decoded.encoding(),
    delimiter,
    header: stats.header,
    columns: stats.columns,
    columnCount: stats.columnCount,
    rowCount: stats.rows,
    inconsistentRows: stats.inconsistentRows,
    formulaCells: stats.formulaCells,
  };
}

/**
 * Creates the `csv` processor for CSV and TSV files (see {@link isCsvRecord} for how they are
 * recognised). It streams the file once through csv-parse and never holds more than a record:
 * the delimiter (`,` `;` tab `|`) is picked from the first 16 KiB, the encoding is found as
 * the text processor finds it (UTF-16/32, else UTF-8 with or without BOM, else the file is
 * read again in the legacy encoding a detector names, or latin1). It counts
 * every row, takes the first row as a header when it looks like one, and counts cells that
 * would run as spreadsheet formulas. Malformed CSV (an unclosed quote, a record over
 * `maxRecordChars`) is processed with `valid: false` and where it stopped, never rejected.
 *
 * @example
 * ```ts
 * import { createCsvProcessor } from '@fileforge/processors/documents';
 * const forge = await createForge({ processors: [createCsvProcessor()] });
 * // later: (await forge.files.get(id))?.metadata.csv → { delimiter: ';', columns: ['name', 'price'], rowCount: 2, … }
 * ```
 */
export function createCsvProcessor(options: CsvProcessorOptions = {}): Processor {
  const settings = {
    maxRecordChars: checkInteger('csv', 'maxRecordChars', options.maxRecordChars ?? 1024 * 1024, 1),
    maxColumnNames: checkInteger('csv', 'maxColumnNames', options.maxColumnNames ?? 256, 0),
  };
  return {
    name: 'csv',
    accepts: isCsvRecord,
    support: {
      formats: 'CSV and TSV (`.csv`/`.tsv` or a declared CSV type), delimiters , ; tab |',
      extracts: [
        'valid, error, errorLine',
        'encoding (as the text processor finds it: utf-8, utf-8-bom, utf-16/32, a legacy encoding, latin1)',
        'delimiter, header, columns, columnCount',
        'rowCount, inconsistentRows',
        'formulaCells (CSV-injection candidates, flagged not refused)',
      ],
      limits: [`records over ${settings.maxRecordChars} characters → valid: false (not rejected)`],
    },
    async extractMetadata(file, context): Promise<CsvMetadata> {
      const run = { ...settings, preferTab: nameExt(file.record.name) === 'tsv', signal: context.signal };
      const reading = await planTextReading(file, context.signal);
      try {
        return await analyse(file, reading.first, run);
      } catch (error) {
        if (!(error instanceof NotUtf8Error)) throw error;
        return analyse(file, await reading.fallback(), run);
      }
    },
  };
}
