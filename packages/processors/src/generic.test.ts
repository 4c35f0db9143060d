import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../test/forge.js';
import { processorContext, processorFile } from '../test/processor-file.js';
import { createGenericProcessor, type GenericMetadata } from './generic.js';

const digest = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest('hex');

describe('generic processor', () => {
  const forge = useForge();

  it('records size, all three hashes and the detected type', async () => {
    const bytes = Buffer.from('hello, forge\n');
    const record = await ingestProcessed(forge(), bytes, { name: 'a.txt' });
    expect(record.status).toBe('processed');
    expect(record.metadata.generic).toEqual({
      size: bytes.length,
      hashes: { sha256: digest('sha256', bytes), md5: digest('md5', bytes), sha1: digest('sha1', bytes) },
      detectedType: { mime: 'text/plain', ext: 'txt' },
      extensionMismatch: false,
      declaredMismatch: false,
      empty: false,
    } satisfies GenericMetadata);
  });

  it('hashes a file that the store reads back in many chunks', async () => {
    // Larger than the local store's 1 MiB read size, so the hashes span several chunks.
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    const record = await ingestProcessed(forge(), bytes, { name: 'blob.bin' });
    const generic = record.metadata.generic as GenericMetadata;
    expect(generic.hashes.md5).toBe(digest('md5', bytes));
    expect(generic.hashes.sha1).toBe(digest('sha1', bytes));
  });

  it('flags a name and a declared type that disagree with the bytes', async () => {
    const record = await ingestProcessed(forge(), 'just text', {
      name: 'photo.png',
      declaredType: 'image/png',
    });
    expect(record.metadata.generic).toMatchObject({
      detectedType: { mime: 'text/plain', ext: 'txt' },
      extensionMismatch: true,
      declaredMismatch: true,
    });
  });

  it('reports an empty file as empty', async () => {
    const record = await ingestProcessed(forge(), new Uint8Array(0), { name: 'nothing.dat' });
    expect(record.status).toBe('processed');
    expect(record.metadata.generic).toMatchObject({
      size: 0,
      empty: true,
      hashes: { md5: 'd41d8cd98f00b204e9800998ecf8427e', sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
    });
  });

  it('reads a local file through its path, in several reads (issue 14: one buffer, not one per chunk)', async () => {
    const bytes = Buffer.alloc(2 * 1024 * 1024 + 5);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-generic-'));
    try {
      const path = join(dir, 'blob');
      await writeFile(path, bytes);
      const file = { ...processorFile(bytes), path, open: () => Promise.reject(new Error('not streamed')) };
      const generic = await createGenericProcessor().extractMetadata?.(file, processorContext());
      expect(generic).toMatchObject({ hashes: { md5: digest('md5', bytes), sha1: digest('sha1', bytes) } });
      const controller = new AbortController();
      controller.abort(new Error('timed out'));
      await expect(
        createGenericProcessor().extractMetadata?.(file, processorContext(controller.signal)),
      ).rejects.toThrow('timed out');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops reading when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const file = processorFile(Buffer.from('some bytes'));
    await expect(
      createGenericProcessor().extractMetadata?.(file, processorContext(controller.signal)),
    ).rejects.toThrow();
  });
});
