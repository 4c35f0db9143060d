import { buffer } from 'node:stream/consumers';
import { writeCyclicPdf, writeFlateBombPdf, writePdf, writePdfObjects } from '@fileforge/test-fixtures/pdf';
import { buildZip } from '@fileforge/test-fixtures/zip';
import { describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { processorContext, processorFile } from '../../test/processor-file.js';
import { createCsvProcessor } from './csv.js';
import { previewOptions } from './document-operations.js';
import { createJsonProcessor } from './json.js';
import { createPdfProcessor, type PdfMetadata, type PdfProcessorOptions } from './pdf.js';
import { endsWithZip } from './pdf-trailing.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const pdfOf = (metadata: Record<string, unknown>) => metadata.pdf as PdfMetadata;

/** Runs the processor on bytes without a forge (no local path: the worker gets the bytes). */
function runPdf(bytes: Uint8Array, options: PdfProcessorOptions = {}): Promise<PdfMetadata> {
  return runWith(createPdfProcessor({ preview: false, ...options }), bytes);
}

async function runWith(
  processor: ReturnType<typeof createPdfProcessor>,
  bytes: Uint8Array,
): Promise<PdfMetadata> {
  const file = processorFile(bytes, { name: 'test.pdf', mime: 'application/pdf', ext: 'pdf' });
  const context = processorContext();
  const extracted = (await processor.extractMetadata?.(file, context)) as PdfMetadata;
  const processed = await processor.process?.(file, context);
  return { ...extracted, ...processed?.metadata };
}

// A worker loading pdf.js takes about a second on a busy 2-core box; later PDFs reuse it.
describe('createPdfProcessor', { timeout: 30_000 }, () => {
  const forge = useForge(() => ({
    processors: [createPdfProcessor(), createCsvProcessor(), createJsonProcessor()],
  }));

  it('reads the page count, the Info dictionary and the text of a PDF', async () => {
    const pdf = writePdf({ title: 'Invoice 42', author: 'Ada Lovelace' });
    const record = await ingestProcessed(forge(), pdf, { name: 'invoice.pdf' });
    expect(record.status).toBe('processed');
    expect(record.mime).toBe('application/pdf');
    const meta = pdfOf(record.metadata);
    expect(meta).toMatchObject({
      pageCount: 1,
      pagesRead: 1,
      title: 'Invoice 42',
      author: 'Ada Lovelace',
      producer: 'FileForge test writer',
      creationDate: '2024-01-02T03:04:05.000Z',
      pdfVersion: '1.4',
      encrypted: false,
      passwordRequired: false,
      textTruncated: false,
    });
    expect(meta.text).toContain('FileForge invoice 42');
  });

  it('refuses a PDF with a ZIP appended (trailing_data), and keeps a PDF whose stream merely holds zip bytes', async () => {
    const zip = buildZip([{ name: 'evil.html', data: '<script>alert(1)</script>' }]);
    const polyglot = await ingestProcessed(forge(), Buffer.concat([writePdf({ title: 'x' }), zip]), {
      name: 'polyglot.pdf',
    });
    expect(polyglot.status).toBe('rejected');
    expect(polyglot.error).toMatchObject({ code: 'CONTENT_REJECTED', details: { reason: 'trailing_data' } });
    expect(await forge().files.derivatives(polyglot.id)).toEqual([]);
    // Zip bytes earlier in the file (an embedded attachment, an incremental update after it),
    // the file ending as PDFs do with %%EOF: not an appended archive.
    expect(endsWithZip(Buffer.concat([writePdf({ title: 'y' }), zip, writePdf({ title: 'z' })]))).toBe(false);
    expect(endsWithZip(Buffer.concat([writePdf({ title: 'y' }), zip]))).toBe(true);
  });

  it('counts every page of a 3-page PDF and joins their text', async () => {
    const pdf = writePdf({ pages: ['First page', 'Second page', 'Third page'] });
    const record = await ingestProcessed(forge(), pdf, { name: 'three.pdf' });
    const meta = pdfOf(record.metadata);
    expect(meta.pageCount).toBe(3);
    expect(meta.text.split('\n')).toEqual(['First page', 'Second page', 'Third page']);
  });

  it('rejects garbage behind a %PDF header as pdf_invalid', async () => {
    const garbage = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 'A')]);
    const record = await ingestProcessed(forge(), garbage, { name: 'broken.pdf' });
    expect(record.status).toBe('rejected');
    expect(record.error).toMatchObject({ code: 'CONTENT_REJECTED', details: { reason: 'pdf_invalid' } });
    expect(await forge().files.derivatives(record.id)).toEqual([]);
  });

  it('rejects a page-tree cycle as pdf_invalid and then processes the next file', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const cyclic = await ingestProcessed(forge(), writeCyclicPdf(), { name: 'cycle.pdf' });
    expect(cyclic.status).toBe('rejected');
    expect(cyclic.error).toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason: 'pdf_invalid', problem: 'page_tree_cycle' },
    });
    const next = await ingestProcessed(forge(), writePdf({ pages: ['after the cycle'] }), {
      name: 'next.pdf',
    });
    expect(next.status).toBe('processed');
    expect(pdfOf(next.metadata).text).toBe('after the cycle');
    // The cycle was contained in the worker: this process did not balloon.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('does not trust a page tree claiming a billion pages', async () => {
    const pdf = writePdf({ pages: ['only page'], claimedCount: 1_000_000_000 });
    const record = await ingestProcessed(forge(), pdf, { name: 'liar.pdf' });
    expect(record.status).toBe('processed');
    expect(pdfOf(record.metadata)).toMatchObject({ pageCount: 1, pagesRead: 1, text: 'only page' });
  });

  it('reads flate-compressed content streams', async () => {
    const record = await ingestProcessed(forge(), writePdf({ pages: ['packed text'], compress: true }), {
      name: 'packed.pdf',
    });
    expect(pdfOf(record.metadata).text).toBe('packed text');
  });

  it('rejects a flate bomb as pdf_limits instead of inflating it', async () => {
    // 8 MiB of spaces in an 8 KB file, against a 1 MiB decode cap.
    await expect(
      runPdf(writeFlateBombPdf(8 * 1024 * 1024), { maxStreamBytes: 1024 * 1024 }),
    ).rejects.toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason: 'pdf_limits', problem: 'stream_too_large' },
    });
    // Under the default 64 MiB cap the same file is fine (its text is all spaces).
    expect(await runPdf(writeFlateBombPdf(8 * 1024 * 1024))).toMatchObject({ pageCount: 1, text: '' });
  });

  it('reads the next PDF after one hit maxStreamBytes: that worker is replaced, not reused', async () => {
    const processor = createPdfProcessor({ preview: false, maxStreamBytes: 1024 * 1024, workerJobs: 10 });
    await expect(runWith(processor, writeFlateBombPdf(8 * 1024 * 1024))).rejects.toMatchObject({
      details: { reason: 'pdf_limits' },
    });
    expect(await runWith(processor, writePdf({ pages: ['one'] }))).toMatchObject({ text: 'one' });
    expect(await runWith(processor, writePdf({ pages: ['two'] }))).toMatchObject({ text: 'two' });
  });

  it('refuses workerJobs below 1 and a preview over 4096 px when the processor is created', () => {
    expect(() => createPdfProcessor({ workerJobs: 0 })).toThrow(/workerJobs/);
    // Renders at fixed max pixels (security spec F3): a 4096 px long edge at most.
    expect(() => createPdfProcessor({ previewSize: 4096 })).not.toThrow();
    expect(() => createPdfProcessor({ previewSize: 4097 })).toThrow(/previewSize/);
    expect(previewOptions.safeParse({ size: 4097 }).success).toBe(false);
  });

  it('reads a page tree with many real pages only up to maxPages', async () => {
    const pdf = writePdf({ pages: Array.from({ length: 12 }, (_, i) => `page ${i + 1}`) });
    const meta = await runPdf(pdf, { maxPages: 5 });
    expect(meta).toMatchObject({ pageCount: 12, pagesRead: 5, textTruncated: true });
    expect(meta.text).toContain('page 5');
    expect(meta.text).not.toContain('page 6');
  });

  it('cuts the text at maxTextChars', async () => {
    const meta = await runPdf(writePdf({ pages: ['abcdefghijklmnopqrstuvwxyz'] }), { maxTextChars: 10 });
    expect(meta).toMatchObject({ text: 'abcdefghij', textTruncated: true });
  });

  it('rejects a PDF over maxBytes as pdf_limits before parsing it', async () => {
    await expect(runPdf(writePdf(), { maxBytes: 100 })).rejects.toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason: 'pdf_limits' },
    });
  });

  it('reports encryption when the trailer has an Encrypt dictionary that needs a password', async () => {
    const pdf = writePdfObjects(
      [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [] /Count 0 >>',
        `<< /Filter /Standard /V 1 /R 2 /O (${'x'.repeat(32)}) /U (${'y'.repeat(32)}) /P -4 >>`,
      ],
      { root: 1, encrypt: 3 },
    );
    const record = await ingestProcessed(forge(), pdf, { name: 'locked.pdf' });
    expect(record.status).toBe('processed');
    expect(pdfOf(record.metadata)).toMatchObject({
      encrypted: true,
      passwordRequired: true,
      pageCount: null,
    });
  });

  describe.skipIf(!hasBinary('pdftoppm'))('preview (needs pdftoppm)', () => {
    it('renders page 1 to preview-1.png, re-encoded with its size recorded', async () => {
      const record = await ingestProcessed(forge(), writePdf(), { name: 'invoice.pdf' });
      expect(pdfOf(record.metadata).preview).toBe('preview-1.png');
      const derivatives = await forge().files.derivatives(record.id);
      expect(derivatives).toHaveLength(1);
      const preview = derivatives[0];
      // US Letter (612 × 792 pt) scaled so the long edge is 1024 px (pdftoppm rounds up).
      expect(preview).toMatchObject({
        name: 'preview-1.png',
        kind: 'preview',
        mime: 'image/png',
        height: 1024,
      });
      expect(preview?.width).toBe(792);
      const { stream } = await forge().files.openDerivative(record.id, 'preview-1.png');
      const png = await buffer(stream);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(png.readUInt32BE(16)).toBe(792);
      expect(png.readUInt32BE(20)).toBe(1024);
    });
  });

  it('records why there is no preview when pdftoppm is not installed', async () => {
    const meta = await runPdf(writePdf(), { preview: true, pdftoppmPath: '/nonexistent/pdftoppm' });
    expect(meta.preview).toBe('unavailable: pdftoppm not installed');
    expect(meta.pageCount).toBe(1);
  });
});

describe('createPdfProcessor with a worker budget too short to parse', { timeout: 30_000 }, () => {
  const forge = useForge(() => ({ processors: [createPdfProcessor({ timeoutMs: 20, preview: false })] }));

  it('ends the file failed with PROCESSOR_TIMEOUT, not rejected', async () => {
    const record = await ingestProcessed(forge(), writePdf(), { name: 'slow.pdf' });
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({
      code: 'PROCESSOR_TIMEOUT',
      details: { processor: 'pdf', timeoutMs: 20 },
    });
  });
});
