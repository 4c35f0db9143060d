import type { FileRecord } from '@fileforge/core';
import { buildZip, contentTypes } from '@fileforge/test-fixtures/zip';
import { describe, expect, it } from 'vitest';
import { docx, ods, odt, pptx, xlsx } from '../../../test/archive-office-fixtures.js';
import { ingestProcessed, useForge } from '../../../test/forge.js';
import { createArchiveProcessor } from '../../archives/index.js';
import { createOfficeProcessor, type LegacyOfficeMetadata, type OfficeMetadata } from './index.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const XXE = '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
const LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';

/** An OLE2 compound-file header: all file-type needs to say application/x-cfb. */
const cfb = () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1024)]);

describe('office processor', () => {
  const forge = useForge(() => ({ processors: [createArchiveProcessor(), createOfficeProcessor()] }));

  it('reads a docx: properties and paragraph text', async () => {
    const record = await ingestProcessed(forge(), docx(), { name: 'report.docx' });
    expect(record.mime).toBe(DOCX);
    expect(record.status).toBe('processed');
    expect(record.metadata.office).toEqual({
      format: 'docx',
      title: 'Quarterly report',
      creator: 'Ada Lovelace',
      keywords: 'finance, q3',
      created: '2024-03-01T09:00:00.000Z',
      modified: '2024-03-02T10:30:00.000Z',
      lastModifiedBy: 'Grace Hopper',
      application: 'Microsoft Office Word',
      pages: 2,
      words: 4,
      hasMacros: false,
      text: 'FileForge invoice 42\nTotal: 100 EUR',
      textTruncated: false,
    } satisfies OfficeMetadata);
    expect(record.metadata.archive).toBeUndefined(); // a docx is a document, not an archive to list
  });

  it('flags a docx that carries a VBA project', async () => {
    const record = await ingestProcessed(
      forge(),
      docx({ extra: [{ name: 'word/vbaProject.bin', data: 'x' }] }),
      {
        name: 'macro.docx',
      },
    );
    expect(record.metadata.office).toMatchObject({ hasMacros: true });
  });

  it('reads an xlsx: sheet names, row counts and shared strings', async () => {
    const record = await ingestProcessed(forge(), xlsx(), { name: 'budget.xlsx' });
    expect(record.mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(record.metadata.office).toMatchObject({
      format: 'xlsx',
      title: 'Budget 2024',
      sheets: [
        { name: 'Revenue', rows: 3 },
        { name: 'Costs', rows: 2 },
      ],
      sharedStrings: ['Region', 'North', 'South', 'Rent'],
      sharedStringCount: 4,
      text: 'Region\nNorth\nSouth\nRent',
    });
  });

  it('reads a pptx: slide text in slide order', async () => {
    const record = await ingestProcessed(forge(), pptx(), { name: 'roadmap.pptx' });
    expect(record.mime).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(record.metadata.office).toMatchObject({
      format: 'pptx',
      title: 'Roadmap',
      slideCount: 3,
      text: 'Welcome to FileForge\nSecond slide\nTenth slide',
    });
  });

  it('reads an odt: meta.xml properties and text', async () => {
    const record = await ingestProcessed(forge(), odt(), { name: 'minutes.odt' });
    expect(record.mime).toBe('application/vnd.oasis.opendocument.text');
    expect(record.metadata.office).toEqual({
      format: 'odt',
      title: 'Minutes',
      creator: 'Ada',
      lastModifiedBy: 'Grace',
      keywords: 'alpha, beta',
      application: 'LibreOffice/7.5',
      created: '2024-05-01T12:00:00.000Z',
      pages: 1,
      words: 5,
      hasMacros: false,
      text: 'Minutes\nFileForge  meeting\tnotes',
      textTruncated: false,
    } satisfies OfficeMetadata);
  });

  it('counts only filled rows of an ods padded with repeated empty rows', async () => {
    const record = await ingestProcessed(forge(), ods(), { name: 'data.ods' });
    expect(record.metadata.office).toMatchObject({ format: 'ods', sheets: [{ name: 'Data', rows: 2 }] });
  });

  it('records a legacy binary file by its extension, without reading it', async () => {
    const doc = await ingestProcessed(forge(), cfb(), { name: 'Old Report.DOC' });
    expect(doc.mime).toBe('application/x-cfb');
    expect(doc.metadata.office).toEqual({ format: 'doc', extracted: false } satisfies LegacyOfficeMetadata);
    const other = await ingestProcessed(forge(), cfb(), { name: 'installer.msi' });
    expect(other.metadata.office).toEqual({ format: 'unknown-ole', extracted: false });
  });

  const expectRejected = async (record: FileRecord, reason: string) => {
    expect(record.status).toBe('rejected');
    expect(record.error).toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason, processor: 'office' },
    });
    expect(record.metadata.office).toBeUndefined();
    expect(JSON.stringify(record)).not.toContain('root:');
    expect(await forge().files.derivatives(record.id)).toEqual([]);
    const next = await ingestProcessed(forge(), docx(), { name: 'after.docx' });
    expect(next.status).toBe('processed');
  };

  it.each([
    [
      'an external entity in the body',
      {
        'word/document.xml': `${XXE}<w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`,
      },
    ],
    [
      'a DOCTYPE in [Content_Types].xml',
      {
        '[Content_Types].xml': contentTypes({ '/word/document.xml': `${DOCX_MAIN}` }).replace(
          '?>',
          '?><!DOCTYPE Types [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ),
      },
    ],
    ['a billion-laughs DTD in docProps/core.xml', { 'docProps/core.xml': `${LAUGHS}<x>&lol2;</x>` }],
  ])('rejects a docx with %s (xml_doctype)', async (_, parts) => {
    const record = await ingestProcessed(forge(), docx({ parts }), { name: 'xxe.docx' });
    expect(record.mime).toBe(DOCX);
    await expectRejected(record, 'xml_doctype');
  });

  it('rejects a docx whose body inflates past its declared size', async () => {
    const record = await ingestProcessed(forge(), docx({ declared: { 'word/document.xml': 10 } }), {
      name: 'lying.docx',
    });
    expect(record.mime).toBe(DOCX);
    await expectRejected(record, 'archive_limits');
  });

  it.each([
    ['a zip-slip entry', { extra: [{ name: '../../evil.txt', data: 'x' }] }, 'archive_unsafe_path'],
    [
      'a symlink where a part it reads should be (reading a link as a file is extracting it)',
      { symlinks: { 'word/document.xml': '/etc/passwd' } },
      'archive_symlink',
    ],
    ['malformed XML', { parts: { 'word/document.xml': '<w:document><w:body>' } }, 'corrupt_document'],
  ])('rejects a docx with %s', async (_, options, reason) => {
    const record = await ingestProcessed(forge(), docx(options), { name: 'hostile.docx' });
    await expectRejected(record, reason);
  });

  it('reads a docx holding a symlink it never opens (issue 9)', async () => {
    const link = { name: 'word/link', data: '/etc/passwd', unixMode: 0o120777 };
    const record = await ingestProcessed(forge(), docx({ extra: [link] }), { name: 'linked.docx' });
    expect(record.status).toBe('processed');
    expect(record.metadata.office).toMatchObject({ text: expect.stringContaining('FileForge invoice 42') });
  });

  it('rejects a docx hiding a high-ratio entry (50 MB of zeros)', async () => {
    const zeros = { name: 'word/media/zeros.bin', data: Buffer.alloc(50 * 1000 * 1000) };
    const record = await ingestProcessed(forge(), docx({ extra: [zeros] }), { name: 'bomb.docx' });
    await expectRejected(record, 'archive_limits');
  });

  it('rejects an odt without content.xml (corrupt_document)', async () => {
    const bytes = buildZip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 'store' },
      { name: 'meta.xml', data: '<office:document-meta/>' },
    ]);
    const record = await ingestProcessed(forge(), bytes, { name: 'empty.odt' });
    expect(record.mime).toBe('application/vnd.oasis.opendocument.text');
    await expectRejected(record, 'corrupt_document');
  });
});

describe('office processor, a text run too large to hold', () => {
  const forge = useForge(() => ({ processors: [createOfficeProcessor({ maxTextChars: 20_000_000 })] }));

  it('keeps the text before it and says the text was truncated (the file is processed, not refused)', async () => {
    const paragraphs = ['FileForge invoice 42', 'x'.repeat(9 * 1024 * 1024), 'after the run'];
    const record = await ingestProcessed(forge(), docx({ paragraphs }), { name: 'giant-run.docx' });
    expect(record.status).toBe('processed');
    const office = record.metadata.office as OfficeMetadata;
    expect(office.text.trim()).toBe('FileForge invoice 42');
    expect(office.textTruncated).toBe(true);
    expect(office.title).toBe('Quarterly report');
  });
});

describe('office processor with maxTextChars: 10', () => {
  const forge = useForge(() => ({ processors: [createOfficeProcessor({ maxTextChars: 10 })] }));

  it('keeps the first characters and says the text was truncated', async () => {
    const record = await ingestProcessed(forge(), docx(), { name: 'long.docx' });
    expect(record.metadata.office).toMatchObject({ text: 'FileForge ', textTruncated: true });
  });
});

describe('createOfficeProcessor', () => {
  it('refuses bad options at construction', () => {
    expect(() => createOfficeProcessor({ maxTextChars: -1 })).toThrow(/maxTextChars/);
    expect(() => createOfficeProcessor({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
