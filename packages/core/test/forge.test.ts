import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  createForge,
  ErrorCode,
  type FileEvent,
  FileForgeError,
  type Forge,
  type ForgeOptions,
  type Processor,
} from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let dirs: string[] = [];
let forges: Forge[] = [];

/** A processor deriving `thumbnail-1.png` (`v<run>`) with `{ run }` as metadata; it rejects the file on run `rejectOn`. */
function thumbsProcessor(rejectOn?: number): Processor {
  let run = 0;
  return {
    name: 'thumbs',
    mimeTypes: ['image/png'],
    async process(_f, ctx) {
      run++;
      if (run === rejectOn) {
        throw new FileForgeError(ErrorCode.CONTENT_REJECTED, 'now too large', {
          details: { reason: 'image_too_many_pixels' },
        });
      }
      await ctx.addDerivative({
        name: 'thumbnail-1.png',
        kind: 'thumbnail',
        mime: 'image/png',
        width: 1,
        height: 1,
        content: Buffer.from(`v${run}`),
      });
      return { metadata: { run } };
    },
  };
}

async function makeForge(options: ForgeOptions = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-forge-'));
  dirs.push(dataDir);
  const forge = await createForge({ dataDir, ...options });
  forges.push(forge);
  return forge;
}

afterEach(async () => {
  for (const f of forges) await f.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  forges = [];
  dirs = [];
});

describe('createForge', () => {
  it('ingests, records and processes a file, emitting events in order', async () => {
    const seen: string[] = [];
    const probe: Processor = {
      name: 'probe',
      mimeTypes: ['image/*'],
      extractMetadata: async (f) => ({ bytes: f.record.size }),
    };
    const forge = await makeForge({ processors: [probe] });
    for (const e of ['file.uploaded', 'file.processed', 'file.failed'] as const) {
      forge.events.on(e, (ev: FileEvent) => seen.push(`${e}:${ev.file.status}`));
    }
    const record = await forge.ingest(Readable.from([PNG]), { name: 'dot.png', declaredType: 'image/png' });
    expect(record).toMatchObject({
      status: 'pending',
      mime: 'image/png',
      size: PNG.length,
      typeMismatch: false,
    });
    await forge.queue.onIdle();
    const done = await forge.files.get(record.id);
    expect(done?.status).toBe('processed');
    expect(done?.metadata.probe).toEqual({ bytes: PNG.length });
    expect(seen).toEqual(['file.uploaded:pending', 'file.processed:processed']);
  });

  it('detects the type from the bytes and flags a lying name and header', async () => {
    const forge = await makeForge();
    const record = await forge.ingest(Readable.from([PNG]), {
      name: 'setup.exe',
      declaredType: 'text/plain',
    });
    expect(record.mime).toBe('image/png');
    expect(record.typeMismatch).toBe(true);
    expect(record.metadata.detection).toMatchObject({
      extensionMismatch: true,
      declaredMismatch: true,
      nameExt: 'exe',
    });
  });

  it('records text and empty files without a mismatch', async () => {
    const forge = await makeForge();
    const text = await forge.ingest(Readable.from([Buffer.from('a,b\n1,2\n')]), {
      name: 'data.csv',
      declaredType: 'text/csv',
    });
    expect(text).toMatchObject({ mime: 'text/csv', ext: 'csv', typeMismatch: false });
    const empty = await forge.ingest(Readable.from([]), { name: 'nothing.txt' });
    expect(empty).toMatchObject({ mime: 'application/x-empty', size: 0, typeMismatch: false });
  });

  it('stores identical content once per tenant and keeps it until the last record goes', async () => {
    const forge = await makeForge();
    const a = await forge.ingest(Readable.from([PNG]), { name: 'a.png' });
    const b = await forge.ingest(Readable.from([PNG]), { name: 'b.png' });
    const c = await forge.ingest(Readable.from([PNG]), { name: 'c.png', tenant: 'acme' });
    expect(b).toMatchObject({ duplicateOf: a.id, blobKey: a.blobKey });
    expect(c.duplicateOf).toBeNull();
    await forge.files.delete(a.id);
    const opened = await forge.files.open(b.id);
    expect(Buffer.concat(await opened.stream.toArray())).toEqual(PNG);
    await forge.files.delete(b.id);
    expect(await forge.blobs.stat(a.blobKey)).toBeNull();
    await expect(forge.files.open(c.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await forge.files.open(c.id, { tenant: 'acme' })).record.id).toBe(c.id);
  });

  it('stores duplicates separately when dedupe is off', async () => {
    const forge = await makeForge({ dedupeStoreOnce: false });
    const a = await forge.ingest(Readable.from([PNG]), { name: 'a.png' });
    const b = await forge.ingest(Readable.from([PNG]), { name: 'b.png' });
    expect(b.duplicateOf).toBe(a.id);
    expect(b.blobKey).not.toBe(a.blobKey);
  });

  it('refuses an oversized file while it streams and stores nothing', async () => {
    const forge = await makeForge({ maxFileSize: 1024 });
    await expect(
      forge.ingest(Readable.from([Buffer.alloc(1025)]), { name: 'big.bin' }),
    ).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
    expect((await forge.files.list()).items).toEqual([]);
    expect(await readdir(join(forge.options.uploadFolder, '.tmp'))).toEqual([]);
  });

  it('refuses a detected type outside the allow-list before storing it', async () => {
    const forge = await makeForge({ allowedTypes: ['image/*'] });
    await expect(
      forge.ingest(Readable.from([Buffer.from('hello')]), { name: 'x.png' }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect((await forge.files.list()).items).toEqual([]);
    expect(await readdir(join(forge.options.uploadFolder, '.tmp'))).toEqual([]);
    expect(await readdir(forge.options.uploadFolder)).toEqual(['.tmp']);
    await expect(forge.ingest(Readable.from([PNG]), { name: 'ok.png' })).resolves.toMatchObject({
      mime: 'image/png',
    });
  });

  it('refuses names that are empty once cleaned', async () => {
    const forge = await makeForge();
    await expect(forge.ingest(Readable.from([PNG]), { name: '../' })).rejects.toMatchObject({
      code: 'INVALID_FILENAME',
    });
    const r = await forge.ingest(Readable.from([PNG]), { name: '../../etc/pass\nwd.png' });
    expect(r.name).toBe('passwd.png');
  });

  it('ends a record rejected or failed by what its processor says, deriving nothing', async () => {
    const hostile: Processor = {
      name: 'hostile',
      mimeTypes: ['image/png'],
      async process(_f, ctx) {
        await ctx.addDerivative({ name: 'half.png', kind: 'preview', mime: 'image/png', content: PNG });
        const { FileForgeError } = await import('@fileforge/core');
        throw new FileForgeError('CONTENT_REJECTED', 'vips: pixel flood at 0x7f3a', {
          details: { reason: 'image_too_many_pixels' },
        });
      },
    };
    const broken: Processor = {
      name: 'broken',
      mimeTypes: ['text/plain'],
      extractMetadata: () => Promise.reject(new Error('boom at /srv/internal/path.js:12')),
    };
    const slow: Processor = {
      name: 'slow',
      extensions: ['.slow'],
      timeoutMs: 50,
      extractMetadata: () => new Promise(() => {}),
    };
    const logged: string[] = [];
    const log = () => {};
    const logger = {
      debug: log,
      info: log,
      error: log,
      warn: (o: object) => logged.push(String((o as { err?: Error }).err?.message)),
    };
    const forge = await makeForge({ processors: [hostile, broken, slow], logger });
    const failed: string[] = [];
    forge.events.on('file.failed', (e) => failed.push(e.error.code));
    const png = await forge.ingest(Readable.from([PNG]), { name: 'a.png' });
    const txt = await forge.ingest(Readable.from([Buffer.from('hi')]), { name: 'a.txt' });
    const hang = await forge.ingest(Readable.from([Buffer.from([0, 1, 2])]), { name: 'a.slow' });
    await forge.queue.onIdle();
    expect(await forge.files.get(png.id)).toMatchObject({
      status: 'rejected',
      error: {
        code: 'CONTENT_REJECTED',
        message: 'The image declares more pixels than this server accepts.',
        details: { reason: 'image_too_many_pixels', processor: 'hostile' },
      },
    });
    expect(await forge.files.derivatives(png.id)).toEqual([]);
    expect(await forge.files.get(txt.id)).toMatchObject({
      status: 'failed',
      error: {
        code: 'PROCESSOR_FAILED',
        message: 'Processing failed in the broken processor; the server log has the details.',
      },
    });
    // Issue 7: a processor's own text never reaches the record, only the log.
    for (const id of [png.id, txt.id]) {
      expect(JSON.stringify(await forge.files.get(id))).not.toMatch(/0x7f3a|\/srv\/internal|vips/);
    }
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.stringContaining('vips: pixel flood'),
        expect.stringContaining('boom at'),
      ]),
    );
    expect(await forge.files.get(hang.id)).toMatchObject({
      status: 'failed',
      error: { code: 'PROCESSOR_TIMEOUT' },
    });
    expect(failed.sort()).toEqual(['CONTENT_REJECTED', 'PROCESSOR_FAILED', 'PROCESSOR_TIMEOUT']);
  });

  it('attaches derivatives and replaces them when processing runs again', async () => {
    const thumbs = thumbsProcessor();
    const forge = await makeForge({ processors: [thumbs] });
    const rec = await forge.ingest(Readable.from([PNG]), { name: 'a.png' });
    await forge.queue.onIdle();
    const [first] = await forge.files.derivatives(rec.id);
    await forge.files.reprocess(rec.id);
    await forge.queue.onIdle();
    const list = await forge.files.derivatives(rec.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'thumbnail-1.png', kind: 'thumbnail', width: 1 });
    const { stream } = await forge.files.openDerivative(rec.id, 'thumbnail-1.png');
    expect(Buffer.concat(await stream.toArray()).toString()).toBe('v2');
    expect(await forge.blobs.stat(first!.blobKey)).toBeNull();
    await forge.files.delete(rec.id);
    expect(await forge.blobs.stat(list[0]!.blobKey)).toBeNull();
  });

  it('a reprocess that ends rejected leaves no derivative or processor metadata of the earlier run', async () => {
    const thumbs = thumbsProcessor(2);
    const forge = await makeForge({ processors: [thumbs] });
    const rec = await forge.ingest(Readable.from([PNG]), { name: 'a.png' });
    await forge.queue.onIdle();
    const [first] = await forge.files.derivatives(rec.id);
    expect((await forge.files.get(rec.id))?.metadata.thumbs).toEqual({ run: 1 });
    await forge.files.reprocess(rec.id);
    await forge.queue.onIdle();
    const after = await forge.files.get(rec.id);
    expect(after?.status).toBe('rejected');
    expect(after?.metadata.thumbs).toBeUndefined();
    expect(after?.metadata.detection).toBeDefined();
    expect(await forge.files.derivatives(rec.id)).toEqual([]);
    expect(await forge.blobs.stat(first!.blobKey)).toBeNull();
  });

  it('refuses new files once closing', async () => {
    const forge = await makeForge();
    await forge.close();
    await expect(forge.ingest(Readable.from([PNG]), { name: 'a.png' })).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
    });
  });
});

describe('data directory ownership', () => {
  it('refuses a second live process on the same data directory and takes over after a crash', async () => {
    const { spawn } = await import('node:child_process');
    const { writeFile } = await import('node:fs/promises');
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-lock-'));
    dirs.push(dataDir);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await writeFile(join(dataDir, 'fileforge.pid'), String(other.pid));
      await expect(createForge({ dataDir })).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // The owner is gone (as after kill -9): its stale lock is taken over.
    const forge = await createForge({ dataDir });
    forges.push(forge);
    expect((await forge.files.list()).items).toEqual([]);
  });

  it('gives the data directory back when it cannot start (bad options after the catalog opened)', async () => {
    const { access } = await import('node:fs/promises');
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-lock-'));
    dirs.push(dataDir);
    await expect(
      createForge({ dataDir, watch: [{ folder: join(dataDir, 'inbox'), pollIntervalMs: 0 }] }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(access(join(dataDir, 'fileforge.pid'))).rejects.toMatchObject({ code: 'ENOENT' });
    // The catalog was closed too: nothing holds its file open.
    const held = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dataDir);
      } catch {
        return false;
      }
    });
    expect(held.map((fd) => readlinkSync(`/proc/self/fd/${fd}`))).toEqual([]);
  });
});
