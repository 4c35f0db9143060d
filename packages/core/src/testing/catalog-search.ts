import { expect, it } from 'vitest';
import type { Catalog, FileListQuery } from '../catalog/index.js';
import type { FileRecord } from '../model/index.js';
import { sampleFile } from './samples.js';

const pdf = (text: string, info: Record<string, unknown> = {}) => ({ pdf: { text, ...info } });

/** Every page of a listing, following `nextCursor` to the end. */
async function everyPage(catalog: Catalog, query: FileListQuery, tenant = 'default'): Promise<FileRecord[]> {
  const all: FileRecord[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await catalog.files.list(tenant, { ...query, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    if (!page.nextCursor) return all;
    cursor = page.nextCursor;
  }
  throw new Error('more than 100 pages');
}

/** Full-text search, filters and sorted paging of the catalog conformance suite. Registered inside `describeCatalog`. */
export function searchCases(current: () => Catalog): void {
  it('finds a file by a word of its extracted text, only in its own tenant, with a marked snippet', async () => {
    const catalog = current();
    const invoice = sampleFile({ name: 'scan-001.pdf' });
    const other = sampleFile({ name: 'notes.pdf' });
    const elsewhere = sampleFile({ tenant: 'other', blobKey: 'other/x' });
    for (const file of [invoice, other, elsewhere]) await catalog.files.insert(file);
    // Extraction results arrive with processing, after the insert.
    await catalog.files.update('default', invoice.id, {
      metadata: pdf('Payment due for the quarterly zephyrine delivery, net 30 days.'),
    });
    await catalog.files.update('default', other.id, { metadata: pdf('Minutes of the meeting') });
    await catalog.files.update('other', elsewhere.id, { metadata: pdf('zephyrine elsewhere') });

    const page = await catalog.files.list('default', { q: 'Zephyrine' });
    expect(page.items.map((f) => f.id)).toEqual([invoice.id]);
    const match = page.matches?.[invoice.id];
    expect(match).toMatchObject({ field: 'text' });
    expect(match!.snippet).toContain('zephyrine delivery');
    const [h] = match!.highlights;
    expect(match!.snippet.slice(h!.start, h!.end).toLowerCase()).toBe('zephyrine');
    // Every word must occur; the last may be the start of a word.
    expect((await catalog.files.list('default', { q: 'quarterly zeph' })).items).toHaveLength(1);
    expect((await catalog.files.list('default', { q: 'quarterly minutes' })).items).toHaveLength(0);
    // Query syntax in the box is just words.
    expect((await catalog.files.list('default', { q: '"zephyrine" OR * -( NEAR' })).items).toHaveLength(0);
    expect((await catalog.files.list('default', { q: '"zephyrine*' })).items).toHaveLength(1);
  });

  it('finds files by name and by metadata (document author, EXIF), ranking a name match first', async () => {
    const catalog = current();
    const named = sampleFile({ name: 'kestrel-report.pdf' });
    const authored = sampleFile({ name: 'a.pdf', metadata: { pdf: { text: '', author: 'Ada Kestrel' } } });
    const photo = sampleFile({
      name: 'IMG_0001.jpg',
      mime: 'image/jpeg',
      metadata: { image: { exif: { Make: 'Canon', Model: 'EOS R5' } } },
    });
    for (const file of [named, authored, photo]) await catalog.files.insert(file);

    const kestrel = await catalog.files.list('default', { q: 'kestrel' });
    expect(kestrel.items.map((f) => f.id)).toEqual([named.id, authored.id]);
    expect(kestrel.matches?.[named.id]?.field).toBe('name');
    expect(kestrel.matches?.[authored.id]?.field).toBe('metadata');
    expect(kestrel.matches![named.id]!.rank).toBeGreaterThan(kestrel.matches![authored.id]!.rank);
    expect((await catalog.files.list('default', { q: 'canon eos' })).items.map((f) => f.id)).toEqual([
      photo.id,
    ]);
  });

  it('finds a word inside Chinese and Japanese text, which is written without spaces', async () => {
    const catalog = current();
    const zh = sampleFile({ name: '会议记录.pdf' });
    const ja = sampleFile({ name: 'seikyu.pdf' });
    const en = sampleFile({ name: '年度报告.pdf' });
    for (const file of [zh, ja, en]) await catalog.files.insert(file);
    await catalog.files.update('default', zh.id, { metadata: pdf('今天的会议记录：我们讨论了预算和发票。') });
    await catalog.files.update('default', ja.id, {
      metadata: pdf('請求書。合計金額は下記の通りです。PDF文件。𩸽の開き'),
    });
    await catalog.files.update('default', en.id, { metadata: pdf('Meeting minutes: budget and invoices.') });
    const ids = async (q: string) => (await catalog.files.list('default', { q })).items.map((f) => f.id);

    expect(await ids('发票')).toEqual([zh.id]);
    expect(await ids('预算 发票')).toEqual([zh.id]);
    expect(await ids('金額')).toEqual([ja.id]);
    expect(await ids('PDF文件')).toEqual([ja.id]);
    expect(await ids('budget')).toEqual([en.id]);
    // A character outside the Basic Multilingual Plane (U+29E3D) pairs like any other.
    expect(await ids('𩸽の')).toEqual([ja.id]);
    expect(await ids('𩸽')).toEqual([ja.id]);
    // Characters of the text in another order are not the word.
    expect(await ids('票发')).toEqual([]);
    const page = await catalog.files.list('default', { q: '发票' });
    const match = page.matches?.[zh.id];
    expect(match).toMatchObject({ field: 'text', snippet: '…讨论了预算和发票' });
    expect(match!.snippet.slice(match!.highlights[0]!.start, match!.highlights[0]!.end)).toBe('发票');
    // Names are cut the same way; the excerpt is the name as it is.
    const named = await catalog.files.list('default', { q: '报告' });
    expect(named.items.map((f) => f.id)).toEqual([en.id]);
    expect(named.matches?.[en.id]).toMatchObject({ field: 'name', snippet: '年度报告.pdf' });
  });

  it('forgets what a file no longer contains, and a deleted file entirely', async () => {
    const catalog = current();
    const file = sampleFile();
    await catalog.files.insert(file);
    await catalog.files.update('default', file.id, { metadata: pdf('albatross') });
    expect((await catalog.files.list('default', { q: 'albatross' })).items).toHaveLength(1);
    await catalog.files.update('default', file.id, { metadata: pdf('pelican') });
    expect((await catalog.files.list('default', { q: 'albatross' })).items).toHaveLength(0);
    expect((await catalog.files.list('default', { q: 'pelican' })).items).toHaveLength(1);
    await catalog.files.delete('default', file.id);
    expect((await catalog.files.list('default', { q: 'pelican' })).items).toHaveLength(0);
  });

  it('filters by type family, date range and uploader', async () => {
    const catalog = current();
    const image = sampleFile({ mime: 'image/png', ownerId: 'u1' });
    const zip = sampleFile({ mime: 'application/zip', apiKeyId: 'k1' });
    const doc = sampleFile({ mime: 'application/pdf', ownerId: 'u2' });
    const bin = sampleFile({ mime: 'application/octet-stream' });
    for (const file of [image, zip, doc, bin]) await catalog.files.insert(file);
    const ids = async (query: FileListQuery) =>
      (await catalog.files.list('default', query)).items.map((f) => f.id);
    expect(await ids({ typeFamily: 'image' })).toEqual([image.id]);
    expect(await ids({ typeFamily: 'archive' })).toEqual([zip.id]);
    expect(await ids({ typeFamily: 'document' })).toEqual([doc.id]);
    expect(await ids({ typeFamily: 'other' })).toEqual([bin.id]);
    expect(await ids({ uploader: 'u1' })).toEqual([image.id]);
    expect(await ids({ uploader: 'k1' })).toEqual([zip.id]);
    expect(await ids({ createdFrom: zip.createdAt, createdTo: doc.createdAt })).toEqual([doc.id, zip.id]);
  });

  it('sorts by name, size and relevance and reaches every file through the pages', async () => {
    const catalog = current();
    const files = Array.from({ length: 23 }, (_, i) =>
      sampleFile({ name: `f-${String((i * 7) % 23).padStart(2, '0')}.txt`, size: 1000 + ((i * 5) % 23) }),
    );
    for (const file of files) await catalog.files.insert(file);
    for (const [i, file] of files.entries()) {
      await catalog.files.update('default', file.id, { metadata: pdf(`common ${'extra '.repeat(i % 4)}`) });
    }
    const byName = await everyPage(catalog, { sort: 'name', limit: 5 });
    expect(byName.map((f) => f.name)).toEqual(files.map((f) => f.name).sort());
    const bySize = await everyPage(catalog, { sort: 'size', order: 'asc', limit: 4 });
    expect(bySize.map((f) => f.size)).toEqual(files.map((f) => f.size).sort((a, b) => a - b));
    const newest = await everyPage(catalog, { limit: 6 });
    expect(newest.map((f) => f.id)).toEqual(files.map((f) => f.id).reverse());
    const found = await everyPage(catalog, { q: 'common', limit: 4 });
    expect(new Set(found.map((f) => f.id)).size).toBe(23);
    // A cursor of one order is refused by another.
    const first = await catalog.files.list('default', { sort: 'name', limit: 5 });
    await expect(
      catalog.files.list('default', { sort: 'size', cursor: first.nextCursor! }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
}
