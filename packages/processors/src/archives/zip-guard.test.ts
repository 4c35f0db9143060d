import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { ProcessorFile } from '@fileforge/core';
import { buildZip, type ZipEntrySpec } from '@fileforge/test-fixtures/zip';
import { describe, expect, it } from 'vitest';
import { rangedFile } from '../../test/archive-fixtures.js';
import { openGuardedZip, withGuardedZip } from './zip-guard.js';
import { resolveZipLimits, type ZipGuardOptions } from './zip-limits.js';

const signal = new AbortController().signal;

/** Opens `entries` as a zip through ranged reads and reads entry `name` to a string. */
function readEntry(file: ProcessorFile, name: string, options: ZipGuardOptions = {}) {
  return withGuardedZip(file, resolveZipLimits(options, 'test'), signal, async (zip) => {
    const entry = zip.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`no ${name}`);
    return text(await zip.openEntry(entry));
  });
}

const zipOf = (...entries: ZipEntrySpec[]) => rangedFile(buildZip(entries));

describe('zip guard', () => {
  it('reads entries of a store without local paths through ranged reads', async () => {
    const big = 'x'.repeat(200_000);
    const names = Array.from({ length: 3000 }, (_, i) => ({
      name: `padding/${i}.txt`,
      data: `${i}`,
      method: 'store' as const,
    }));
    // 3,000 entries make a central directory larger than one 64 KiB read block
    const file = rangedFile(
      buildZip([{ name: 'a.txt', data: 'hello' }, ...names, { name: 'big.txt', data: big }]),
    );
    expect(await readEntry(file, 'a.txt')).toBe('hello');
    expect(await readEntry(file, 'big.txt')).toBe(big);
    expect(await readEntry(file, 'padding/2999.txt')).toBe('2999');
  });

  it('closes the store stream of an entry read that stops early (a store without a local path)', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const bytes = buildZip([{ name: 'big.txt', data: big, method: 'store' }]);
    const opened: Readable[] = [];
    const file: ProcessorFile = {
      ...rangedFile(bytes),
      open: async (range) => {
        const start = range?.start ?? 0;
        const end = range?.end === undefined ? bytes.length : range.end + 1;
        // In 16 KiB chunks, as a store streams: an early stop leaves most of it unread.
        const stream = Readable.from(
          (function* () {
            for (let at = start; at < end; at += 16 * 1024)
              yield Buffer.from(bytes.subarray(at, Math.min(end, at + 16 * 1024)));
          })(),
        );
        opened.push(stream);
        return stream;
      },
    };
    const zip = await openGuardedZip(file, resolveZipLimits({}, 'test'), signal);
    try {
      for (let i = 0; i < 3; i++) {
        for await (const _chunk of await zip.openEntry(zip.entries[0]!)) break; // the reader had enough
      }
    } finally {
      zip.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened.length).toBeGreaterThanOrEqual(3);
    expect(opened.filter((s) => !s.destroyed)).toHaveLength(0);
  });

  it('reports declared sizes, directories, dates and encryption', async () => {
    const file = zipOf(
      { name: 'dir/', method: 'store' },
      { name: 'dir/a.txt', data: 'hello', modified: new Date(Date.UTC(2023, 5, 7, 8, 9, 10)) },
      { name: 'locked.bin', data: 'x'.repeat(20), method: 'store', flags: 0x801, size: 8 },
    );
    const zip = await openGuardedZip(file, resolveZipLimits({}, 'test'), signal);
    try {
      expect(zip.entries.map((e) => [e.name, e.size, e.isDirectory, e.encrypted])).toEqual([
        ['dir/', 0, true, false],
        ['dir/a.txt', 5, false, false],
        ['locked.bin', 8, false, true],
      ]);
      expect(zip.entries[1]?.modified?.toISOString()).toBe('2023-06-07T08:09:10.000Z');
      expect(zip.totalSize).toBe(13);
      expect(zip.encryptedEntries).toBe(1);
    } finally {
      zip.close();
    }
  });

  it.each([
    ['data longer than declared', { name: 'a', data: 'x'.repeat(100_000), size: 10 }, 'archive_limits'],
    ['data shorter than declared', { name: 'a', data: 'hello', size: 1000 }, 'archive_limits'],
    ['a CRC-32 mismatch', { name: 'a', data: 'hello', crc32: 1234 }, 'archive_invalid'],
    [
      'an encrypted entry',
      { name: 'a', data: 'x'.repeat(17), method: 'store' as const, flags: 0x801, size: 5 },
      'zip_encrypted',
    ],
  ])('refuses to read %s', async (_, entry, reason) => {
    await expect(readEntry(zipOf(entry), 'a')).rejects.toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason },
    });
  });

  it('refuses to read an entry over maxEntryBytes before inflating it', async () => {
    const file = zipOf({ name: 'a', data: 'x'.repeat(2000) });
    await expect(readEntry(file, 'a', { maxEntryBytes: 1000 })).rejects.toMatchObject({
      details: { reason: 'archive_limits', limit: 1000 },
    });
    expect(await readEntry(file, 'a', { maxEntryBytes: 2000 })).toHaveLength(2000);
  });

  it('refuses an entry whose local header names another file', async () => {
    // the only central entry, "b", points at the local header of the unlisted "a": no overlap, wrong name
    const file = zipOf({ name: 'a', data: 'hello', unlisted: true }, { name: 'b', pointsTo: 0 });
    await expect(readEntry(file, 'b')).rejects.toMatchObject({ details: { reason: 'archive_overlap' } });
  });

  it('checks the overall ratio of many small entries', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `z${i}`, data: Buffer.alloc(100_000) }));
    const limits = resolveZipLimits({ ratioMinBytes: 1024 * 1024 }, 'test');
    await expect(openGuardedZip(zipOf(...entries), limits, signal)).rejects.toMatchObject({
      details: { reason: 'archive_limits' },
    });
    // By default the ratio rule starts at 32 MiB: 2 MB of sparse data is no bomb (issue 9).
    const relaxed = resolveZipLimits({}, 'test');
    const zip = await openGuardedZip(zipOf(...entries), relaxed, signal);
    zip.close();
  });

  it('lists a symlink with its target but refuses to open it as a file (spec E5)', async () => {
    const file = zipOf({ name: 'link', data: '/etc/passwd', method: 'store', unixMode: 0o120777 });
    await withGuardedZip(file, resolveZipLimits({}, 'test'), signal, async (zip) => {
      const [entry] = zip.entries;
      expect(entry).toMatchObject({ name: 'link', isSymlink: true });
      expect(await zip.linkTarget(entry!)).toBe('/etc/passwd');
      await expect(zip.openEntry(entry!)).rejects.toMatchObject({
        code: 'CONTENT_REJECTED',
        details: { reason: 'archive_symlink', entry: 'link' },
      });
    });
  });

  it('counts entries from the end record before reading the directory', async () => {
    const file = zipOf({ name: 'a' }, { name: 'b' }, { name: 'c' });
    await expect(
      openGuardedZip(file, resolveZipLimits({ maxEntries: 2 }, 'test'), signal),
    ).rejects.toMatchObject({
      details: { reason: 'archive_limits', entries: 3, limit: 2 },
    });
  });

  it('stops with the abort reason, not a rejection, when its signal fires', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(
      openGuardedZip(zipOf({ name: 'a' }), resolveZipLimits({}, 'test'), controller.signal),
    ).rejects.toBe(reason);
  });
});
