import { Readable } from 'node:stream';
import type { FileRecord } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { processorFile } from '../../test/processor-file.js';
import { type CsvMetadata, createCsvProcessor, isCsvRecord } from './csv.js';
import { detectDelimiter, isFormulaCell, looksLikeHeader } from './csv-dialect.js';
import { createJsonProcessor } from './json.js';
import { createPdfProcessor } from './pdf.js';

const csvOf = (metadata: Record<string, unknown>) => metadata.csv as CsvMetadata;

describe('createCsvProcessor', () => {
  const forge = useForge(() => ({
    processors: [createPdfProcessor(), createCsvProcessor(), createJsonProcessor()],
  }));

  it('reads a comma-separated file with a header', async () => {
    const csv = 'name,email,age\nAda,ada@example.com,36\nAlan,alan@example.com,41\n';
    const record = await ingestProcessed(forge(), csv, { name: 'people.csv' });
    expect(record.status).toBe('processed');
    expect(csvOf(record.metadata)).toEqual({
      valid: true,
      encoding: 'utf-8',
      delimiter: ',',
      header: true,
      columns: ['name', 'email', 'age'],
      columnCount: 3,
      rowCount: 2,
      inconsistentRows: 0,
      formulaCells: 0,
    });
  });

  it('detects semicolons, with decimal commas in the values', async () => {
    const csv = 'product;price;stock\r\nWidget;1,50;12\r\nGadget;22,75;3\r\nGizmo;0,99;100\r\n';
    const meta = csvOf((await ingestProcessed(forge(), csv, { name: 'prices.csv' })).metadata);
    expect(meta).toMatchObject({
      delimiter: ';',
      header: true,
      columns: ['product', 'price', 'stock'],
      rowCount: 3,
    });
  });

  it('detects tabs and pipes, and a file without a header', async () => {
    const tsv = await ingestProcessed(forge(), '1\t2\t3\n4\t5\t6\n', { name: 'numbers.tsv' });
    expect(csvOf(tsv.metadata)).toMatchObject({
      delimiter: '\t',
      header: false,
      columns: null,
      columnCount: 3,
      rowCount: 2,
    });
    const piped = await ingestProcessed(forge(), 'a|b\nc|d\ne|f\n', { name: 'x.csv' });
    expect(csvOf(piped.metadata)).toMatchObject({ delimiter: '|', header: true, rowCount: 2 });
  });

  it('keeps quoted delimiters and newlines inside one field', async () => {
    const csv = 'id,note\n1,"hello, world"\n2,"two\nlines"\n';
    const meta = csvOf((await ingestProcessed(forge(), csv, { name: 'notes.csv' })).metadata);
    expect(meta).toMatchObject({ delimiter: ',', columnCount: 2, rowCount: 2, inconsistentRows: 0 });
  });

  it('flags formula-injection cells without rejecting the file', async () => {
    const csv =
      'name,comment\nEve,=HYPERLINK("http://evil.example","x")\nMal,@SUM(1+1)\nBob,+cmd\nAmy,-12\nTom,-\n';
    const record = await ingestProcessed(forge(), csv, { name: 'evil.csv' });
    expect(record.status).toBe('processed');
    expect(csvOf(record.metadata).formulaCells).toBe(3);
  });

  it('reads latin1 bytes as latin1 and a UTF-8 BOM as utf-8-bom', async () => {
    const latin1 = Buffer.from('ville;pays\nZürich;Suisse\nMålaga;España\n', 'latin1');
    const record = await ingestProcessed(forge(), latin1, { name: 'villes.csv' });
    expect(csvOf(record.metadata)).toMatchObject({ encoding: 'latin1', delimiter: ';', rowCount: 2 });
    const bom = await ingestProcessed(forge(), '\uFEFFa,b\n1,2\n', { name: 'bom.csv' });
    expect(csvOf(bom.metadata)).toMatchObject({ encoding: 'utf-8-bom', columns: ['a', 'b'], rowCount: 1 });
  });

  it('reads legacy encodings and UTF-16 without a BOM as the text processor does (issue 9)', async () => {
    const russian = 'город;страна;население\nМосква;Россия;13010112\nСанкт-Петербург;Россия;5601911\n';
    // Windows-1251 puts А–я (U+0410–U+044F) at 0xC0–0xFF.
    const bytes = Buffer.from(
      [...russian].map((c) => c.charCodeAt(0) - (c.charCodeAt(0) >= 0x410 ? 0x350 : 0)),
    );
    const record = await ingestProcessed(forge(), bytes, { name: 'cities.csv' });
    expect(record.mime).toBe('text/csv');
    expect(csvOf(record.metadata)).toMatchObject({
      encoding: 'windows-1251',
      columns: ['город', 'страна', 'население'],
      rowCount: 2,
    });
    const wide = Buffer.from('name,size\na.txt,3\nb.txt,4\n', 'utf16le');
    const utf16 = await ingestProcessed(forge(), wide, { name: 'wide.csv' });
    expect(csvOf(utf16.metadata)).toMatchObject({
      encoding: 'utf-16le',
      columns: ['name', 'size'],
      rowCount: 2,
    });
  });

  it('reports an unclosed quote as invalid with its line, not as a rejection', async () => {
    const csv = 'a,b\n1,2\n3,"never closed\n4,5\n';
    const record = await ingestProcessed(forge(), csv, { name: 'broken.csv' });
    expect(record.status).toBe('processed');
    const meta = csvOf(record.metadata);
    expect(meta.valid).toBe(false);
    expect(meta.error).toMatch(/quote/i);
    expect(meta.errorLine).toBeGreaterThanOrEqual(3);
  });

  it('counts the rows of a 20 MB file streamed through', async () => {
    const rows = 400_000;
    async function* generate() {
      yield 'id,name,amount,comment\n';
      for (let i = 0; i < rows; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++)
          chunk += `${j},customer ${j},${(j % 997) * 1.25},"note, number ${j}"\n`;
        yield chunk;
      }
    }
    const { id, size } = await forge().ingest(Readable.from(generate()), { name: 'big.csv' });
    expect(size).toBeGreaterThan(20_000_000);
    await forge().queue.onIdle();
    const record = await forge().files.get(id);
    expect(record?.status).toBe('processed');
    expect(csvOf(record?.metadata ?? {})).toMatchObject({
      valid: true,
      rowCount: rows,
      columnCount: 4,
      header: true,
    });
  }, 60_000);
});

describe('csv dialect', () => {
  it('prefers the delimiter found consistently on every line', () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3\n4;5,5;6\n', true)).toBe(';');
    expect(detectDelimiter('a,b\n1,2\n', true)).toBe(',');
    expect(detectDelimiter('single column\nvalues\n', true)).toBe(',');
    expect(detectDelimiter('single column\n', true, '\t')).toBe('\t');
  });

  it('takes a first row of unique non-numeric names as a header', () => {
    expect(looksLikeHeader(['id', 'name'])).toBe(true);
    expect(looksLikeHeader(['2024', 'name'])).toBe(false);
    expect(looksLikeHeader(['a', 'a'])).toBe(false);
    expect(looksLikeHeader(['a', ''])).toBe(false);
  });

  it('sees formulas but not numbers or dash placeholders', () => {
    expect(['=1+1', '+A1', '-A1', '@SUM(A1)', ' =x', '\tx'].map(isFormulaCell)).toEqual(Array(6).fill(true));
    expect(['-12', '+3.5', '-', '--', 'plain', ''].map(isFormulaCell)).toEqual(Array(6).fill(false));
  });

  it('chooses CSV files by name or declared type, not every text file', () => {
    const accepts = (record: Partial<FileRecord>) =>
      isCsvRecord(processorFile(new Uint8Array(), { name: 'x.txt', mime: 'text/plain', ...record }).record);
    expect(accepts({ name: 'a.CSV' })).toBe(true);
    expect(accepts({ name: 'a.tsv' })).toBe(true);
    expect(accepts({ declaredMime: 'text/csv' })).toBe(true);
    expect(accepts({})).toBe(false);
    expect(accepts({ name: 'a.csv', mime: 'application/octet-stream' })).toBe(true);
    expect(accepts({ name: 'a.bin', mime: 'application/octet-stream' })).toBe(false);
    expect(accepts({ name: 'a.csv', mime: 'application/pdf' })).toBe(false);
  });
});
