import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, startTestServer, stopTestServers } from './support/server.js';
import { tmpfsMounts } from './support/tmpfs.js';

afterEach(async () => {
  await stopTestServers(); // removes the temp dirs: after the unmount (hooks run last-first)
});
const mountTmpfs = tmpfsMounts();

/** A multipart upload sent with `Transfer-Encoding: chunked` (no length: no preflight possible). */
function uploadChunked(url: string, headers: Record<string, string>, content: Buffer) {
  const boundary = 'ffdiskfull';
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}/api/v1/files`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    for (let at = 0; at < content.length; at += 64 * 1024) req.write(content.subarray(at, at + 64 * 1024));
    req.end(`\r\n--${boundary}--\r\n`);
  });
}

/** Declares `length` bytes, sends the part header and 1 KiB, and waits (5 s at most) for an answer. */
function declaredButUnsent(url: string, headers: Record<string, string>, length: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${url}/api/v1/files`, {
      method: 'POST',
      headers: {
        ...headers,
        'Content-Type': 'multipart/form-data; boundary=ffdiskfull',
        'Content-Length': String(length),
      },
      timeout: 5000,
    });
    req.on('timeout', () => reject(new Error('no answer: the server waited for the body')));
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.write('--ffdiskfull\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\n\r\n');
    req.write(Buffer.alloc(1024, 1));
  });
}

describe('disk full (issue 12)', () => {
  it('answers 507 before reading a body that cannot fit, 507 on ENOSPC mid-stream with nothing kept, and stores again once space returns', {
    timeout: 60_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const uploadFolder = join(dataDir, 'uploads');
    await mkdir(uploadFolder, { recursive: true });
    const cannot = mountTmpfs(uploadFolder, '8m');
    if (cannot) {
      // A full disk cannot be simulated honestly without the mount: say why, and in CI fail.
      console.warn(`[disk-full] skipped: ${cannot}`);
      if (process.env.CI === 'true') throw new Error(`disk-full test needs a tmpfs mount in CI: ${cannot}`);
      return;
    }
    const server = await startTestServer({ dataDir, uploadFolder, maxFileSize: 64 * 1024 * 1024 });
    const files = async () => (await (await server.api('/api/v1/files')).json()) as { items: unknown[] };

    // 1. A declared length larger than the free space: 507 at once, before the body is read
    // (only its first KiB is ever sent: a server that waited for the rest would never answer).
    const tooBig = await declaredButUnsent(server.url, server.authHeaders, 9 << 20);
    expect(tooBig.status).toBe(507);
    expect(JSON.parse(tooBig.body).error.code).toBe('INSUFFICIENT_STORAGE');

    // 2. No length; fill most of the disk first so the stream runs into ENOSPC.
    const filler = join(uploadFolder, 'filler');
    await writeFile(filler, Buffer.alloc(5 << 20, 2));
    const midStream = await uploadChunked(server.url, server.authHeaders, Buffer.alloc(4 << 20, 3));
    expect(midStream.status, midStream.body).toBe(507);
    expect(JSON.parse(midStream.body).error.code).toBe('INSUFFICIENT_STORAGE');
    expect(await readdir(join(uploadFolder, '.tmp')), 'partial file removed').toEqual([]);
    expect((await files()).items).toEqual([]);
    expect((await server.api('/health')).status).toBe(200);

    // 3. Space returns: the same upload now succeeds.
    await rm(filler);
    const again = await uploadChunked(server.url, server.authHeaders, Buffer.alloc(4 << 20, 3));
    expect(again.status, again.body).toBe(201);
    expect((await files()).items).toHaveLength(1);
  });

  it('answers a resumable PATCH that meets a full disk with 507, keeps what landed, and resumes once space returns', {
    timeout: 60_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const uploadFolder = join(dataDir, 'uploads');
    await mkdir(uploadFolder, { recursive: true });
    const cannot = mountTmpfs(uploadFolder, '3m');
    if (cannot) {
      console.warn(`[disk-full] skipped: ${cannot}`);
      if (process.env.CI === 'true') throw new Error(`disk-full test needs a tmpfs mount in CI: ${cannot}`);
      return;
    }
    const server = await startTestServer({ dataDir, uploadFolder, maxFileSize: 64 * 1024 * 1024 });
    const tus = { ...server.authHeaders, 'Tus-Resumable': '1.0.0' };
    await writeFile(join(uploadFolder, 'occupied'), Buffer.alloc(2 << 20, 1)); // 1 MiB left
    const length = 900 << 10;
    const content = Buffer.alloc(length, 7);
    const created = await fetch(`${server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { ...tus, 'Upload-Length': String(length), 'Upload-Metadata': `filename ${btoa('tus.bin')}` },
    });
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get('location')!, server.url).href;
    // The space the creation saw is gone by the time its bytes come.
    const filler = join(uploadFolder, 'filler');
    await writeFile(filler, Buffer.alloc(600 << 10, 2));
    const patch = (offset: number) =>
      fetch(location, {
        method: 'PATCH',
        headers: {
          ...tus,
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
        },
        body: content.subarray(offset),
      });
    const full = await patch(0);
    expect(full.status).toBe(507);
    expect(((await full.json()) as { error: { code: string } }).error.code).toBe('INSUFFICIENT_STORAGE');
    const head = await fetch(location, { method: 'HEAD', headers: tus });
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeLessThan(length);

    await rm(filler);
    const resumed = await patch(offset);
    expect(resumed.status).toBe(204);
    const listed = (await (await server.api('/api/v1/files')).json()) as { items: Array<{ size: number }> };
    expect(listed.items.map((f) => f.size)).toEqual([length]);
  });
});
