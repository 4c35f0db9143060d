import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FileRecord } from '@fileforge/core';
import { buildZip } from '@fileforge/test-fixtures/zip';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import {
  hiddenBeforeEndRecord,
  lyingStored,
  lyingTebibyte,
  overlapping,
  ratioBomb,
  symlink,
  threeFiles,
  tooManyEntries,
  trailingData,
  zipSlip,
} from '../../test/archive-fixtures.js';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { createOfficeProcessor } from '../documents/office/index.js';
import type { ArchiveMetadata } from './archive-metadata.js';
import { createArchiveProcessor } from './archive-processor.js';

async function tarOf(
  entries: {
    name: string;
    data?: string | Buffer;
    type?: 'symlink' | 'link' | 'directory';
    linkname?: string;
  }[],
) {
  const tar = pack();
  for (const { data, ...header } of entries) tar.entry(header, data ?? '');
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('archive processor', () => {
  const forge = useForge(() => ({ processors: [createArchiveProcessor(), createOfficeProcessor()] }));

  const expectRejected = async (record: FileRecord, reason: string) => {
    expect(record.status).toBe('rejected');
    expect(record.error).toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason, processor: 'archive' },
    });
    expect(record.metadata.archive).toBeUndefined();
    expect(await forge().files.derivatives(record.id)).toEqual([]);
    // the forge keeps going: the next archive is processed normally
    const next = await ingestProcessed(forge(), threeFiles(), { name: 'after.zip' });
    expect(next.status).toBe('processed');
  };

  it('lists a zip of three files with names, sizes and dates', async () => {
    const record = await ingestProcessed(forge(), threeFiles(), { name: 'bundle.zip' });
    expect(record.status).toBe('processed');
    const archive = record.metadata.archive as ArchiveMetadata;
    expect(archive).toMatchObject({
      format: 'zip',
      entryCount: 3,
      totalSize: 15 + 800,
      truncatedListing: false,
      encryptedEntries: 0,
    });
    expect(archive.entries.map((e) => [e.name, e.size, e.isDirectory])).toEqual([
      ['readme.txt', 15, false],
      ['data/numbers.csv', 800, false],
      ['data/empty.txt', 0, false],
    ]);
    expect(archive.entries[0]?.modified).toBe('2024-01-02T03:04:06.000Z');
    expect(archive.totalCompressedSize).toBeLessThan(archive.totalSize);
  });

  it('notes encrypted entries without reading them', async () => {
    const zip = buildZip([
      { name: 'secret.txt', data: 'xxxxxxxxxxxxhello', method: 'store', flags: 0x801, size: 5 },
    ]);
    const record = await ingestProcessed(forge(), zip, { name: 'secret.zip' });
    expect(record.status).toBe('processed');
    expect(record.metadata.archive).toMatchObject({ encryptedEntries: 1, entries: [{ encrypted: true }] });
  });

  it.each([
    ['a ratio bomb (50 MB of zeros in ~50 KB)', ratioBomb, 'archive_limits'],
    ['a stored entry lying about its size (113 bytes declaring 1 GiB)', lyingStored, 'archive_limits'],
    ['a central directory declaring 1 TiB', lyingTebibyte, 'archive_limits'],
    ['1,000 entries overlapping one local header', overlapping, 'archive_overlap'],
    ['a zip-slip name (../../evil.txt)', zipSlip, 'archive_unsafe_path'],
    ['10,001 entries', tooManyEntries, 'archive_limits'],
    ['bytes after the end of the archive', trailingData, 'trailing_data'],
    ['bytes hidden before a copy of the end record', hiddenBeforeEndRecord, 'trailing_data'],
  ])('rejects %s', async (_, build, reason) => {
    const record = await ingestProcessed(forge(), build(), { name: 'hostile.zip' });
    await expectRejected(record, reason);
  });

  it('builds the hostile fixtures at the sizes the security spec quotes', () => {
    expect(lyingStored()).toHaveLength(113);
    expect(ratioBomb().length).toBeLessThan(100_000); // 50 MB declared
    expect(overlapping().length).toBeLessThan(100_000); // 1,000 × 1 MiB declared
  });

  it('rejects a file that only starts like a zip', async () => {
    const bytes = threeFiles().subarray(0, 200);
    const record = await ingestProcessed(forge(), bytes, { name: 'cut.zip' });
    await expectRejected(record, 'archive_invalid');
  });

  it('lists a tar and a tar.gz', async () => {
    const tar = await tarOf([
      { name: 'docs', type: 'directory' },
      { name: 'docs/a.txt', data: 'alpha' },
      { name: 'docs/b.txt', data: 'beta!!' },
    ]);
    const plain = await ingestProcessed(forge(), tar, { name: 'docs.tar' });
    expect(plain.mime).toBe('application/x-tar');
    expect(plain.metadata.archive).toMatchObject({ format: 'tar', entryCount: 3, totalSize: 11 });
    const gz = await ingestProcessed(forge(), gzipSync(tar), { name: 'docs.tar.gz' });
    expect(gz.status).toBe('processed');
    const archive = gz.metadata.archive as ArchiveMetadata;
    expect(archive).toMatchObject({ format: 'tar.gz', entryCount: 3, totalSize: 11 });
    expect(archive.entries.map((e) => [e.name, e.isDirectory])).toEqual([
      ['docs', true],
      ['docs/a.txt', false],
      ['docs/b.txt', false],
    ]);
  });

  it('lists a tar.gz larger than the stream buffers', async () => {
    const random = () => randomBytes(1024 * 1024);
    const tar = await tarOf([
      { name: 'a.bin', data: random() },
      { name: 'b.bin', data: random() },
      { name: 'c.bin', data: random() },
    ]);
    const record = await ingestProcessed(forge(), gzipSync(tar), { name: 'big.tgz' });
    expect(record.metadata.archive).toMatchObject({
      format: 'tar.gz',
      entryCount: 3,
      totalSize: 3 * 1024 * 1024,
    });
  });

  it('leaves a gzip that does not wrap a tar alone', async () => {
    const record = await ingestProcessed(forge(), gzipSync('just some text'), { name: 'notes.gz' });
    expect(record.status).toBe('processed');
    expect(record.metadata.archive).toBeUndefined();
  });

  it('rejects a tar entry climbing out of the root', async () => {
    const entries = [{ name: '../evil.txt', data: 'x' }];
    const record = await ingestProcessed(forge(), await tarOf(entries), { name: 'hostile.tar' });
    await expectRejected(record, 'archive_unsafe_path');
  });

  it('lists a zip symlink with its target and flags an absolute one (issue 9, spec E5)', async () => {
    const record = await ingestProcessed(forge(), symlink(), { name: 'link.zip' });
    expect(record.status).toBe('processed');
    const archive = record.metadata.archive as ArchiveMetadata;
    expect(archive).toMatchObject({ entryCount: 1, links: 1, unsafeLinks: 1 });
    expect(archive.entries[0]).toMatchObject({
      name: 'link',
      link: { type: 'symlink', target: '/etc/passwd', unsafe: 'absolute' },
    });
  });

  it('lists tar symbolic and hard links with their targets, flagging the unsafe ones (issue 9)', async () => {
    const tar = await tarOf([
      { name: 'certs', type: 'directory' },
      { name: 'certs/ca.pem', data: '-----BEGIN CERTIFICATE-----\n' },
      { name: 'certs/abcd1234.0', type: 'symlink', linkname: 'ca.pem' },
      { name: 'certs/up.pem', type: 'symlink', linkname: '../certs/ca.pem' },
      { name: 'certs/copy.pem', type: 'link', linkname: 'certs/ca.pem' },
      { name: 'certs/passwd', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'certs/out', type: 'symlink', linkname: '../../outside' },
      { name: 'certs/hard-out', type: 'link', linkname: '../outside' },
    ]);
    const record = await ingestProcessed(forge(), tar, { name: 'certs.tar' });
    expect(record.status).toBe('processed');
    const archive = record.metadata.archive as ArchiveMetadata;
    expect(archive).toMatchObject({ entryCount: 8, links: 6, unsafeLinks: 3 });
    expect(Object.fromEntries(archive.entries.map((e) => [e.name, e.link]))).toEqual({
      certs: undefined,
      'certs/ca.pem': undefined,
      'certs/abcd1234.0': { type: 'symlink', target: 'ca.pem' },
      'certs/up.pem': { type: 'symlink', target: '../certs/ca.pem' },
      'certs/copy.pem': { type: 'hardlink', target: 'certs/ca.pem' },
      'certs/passwd': { type: 'symlink', target: '/etc/passwd', unsafe: 'absolute' },
      'certs/out': { type: 'symlink', target: '../../outside', unsafe: 'escapes' },
      'certs/hard-out': { type: 'hardlink', target: '../outside', unsafe: 'escapes' },
    });
  });

  it('still rejects a tar.gz bomb while inflating', async () => {
    const tar = await tarOf([{ name: 'zeros.bin', data: Buffer.alloc(40 * 1024 * 1024) }]);
    const record = await ingestProcessed(forge(), gzipSync(tar), { name: 'bomb.tar.gz' });
    await expectRejected(record, 'archive_limits');
  });
});

describe('archive processor: long entry names', () => {
  const forge = useForge(() => ({ processors: [createArchiveProcessor()] }));

  it('cuts each listed name to 1 KiB and stops the listing at 256 KiB of names (zip and tar)', async () => {
    const long = (i: number) => `${String(i).padStart(4, '0')}-${'é'.repeat(3000)}.txt`;
    const zip = buildZip(Array.from({ length: 400 }, (_, i) => ({ name: long(i), data: 'x' })));
    const tar = await tarOf(Array.from({ length: 400 }, (_, i) => ({ name: long(i), data: 'x' })));
    for (const [bytes, name] of [
      [zip, 'long.zip'],
      [tar, 'long.tar'],
    ] as const) {
      const record = await ingestProcessed(forge(), bytes, { name });
      expect(record.status, name).toBe('processed');
      const archive = record.metadata.archive as ArchiveMetadata;
      expect(archive.entryCount, name).toBe(400);
      expect(archive.truncatedListing, name).toBe(true);
      const listed = archive.entries.map((e) => Buffer.byteLength(e.name));
      expect(Math.max(...listed), name).toBeLessThanOrEqual(1024);
      expect(
        listed.reduce((a, b) => a + b, 0),
        name,
      ).toBeLessThanOrEqual(256 * 1024);
      expect(archive.entries[0], name).toMatchObject({ nameTruncated: true });
      expect(archive.entries[0]?.name.startsWith('0000-éé'), name).toBe(true);
      expect(JSON.stringify(record).length, name).toBeLessThan(400 * 1024);
    }
  });
});

describe('archive processor with maxListedEntries: 2', () => {
  const forge = useForge(() => ({ processors: [createArchiveProcessor({ maxListedEntries: 2 })] }));

  it('lists only the first entries but counts and sums them all', async () => {
    const zip = buildZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: `${i}${i}` })));
    const record = await ingestProcessed(forge(), zip, { name: 'five.zip' });
    const archive = record.metadata.archive as ArchiveMetadata;
    expect(archive).toMatchObject({ entryCount: 5, totalSize: 10, truncatedListing: true });
    expect(archive.entries.map((e) => e.name)).toEqual(['f0.txt', 'f1.txt']);
  });
});

describe('createArchiveProcessor', () => {
  it('refuses bad options at construction', () => {
    expect(() => createArchiveProcessor({ maxRatio: 0 })).toThrow(/maxRatio/);
    expect(() => createArchiveProcessor({ maxListedEntries: -1 })).toThrow(/maxListedEntries/);
  });
});
