import { createReadStream, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, stopTestServers, type TestServer } from '../../server/test/support/server.js';
import {
  createClient,
  type FileForgeClient,
  isFileForgeClientError,
  type UploadProgress,
} from '../src/index.js';
import { bytes, clientFor } from './support/client-server.js';

let server: TestServer;
let client: FileForgeClient;

beforeAll(async () => {
  server = await startTestServer({ maxFileSize: 256 * 1024 });
  client = clientFor(server);
});
afterAll(stopTestServers);

function expectMonotonicTo(events: UploadProgress[], size: number) {
  expect(events.length).toBeGreaterThan(2);
  for (let i = 1; i < events.length; i++)
    expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
  expect(events.at(-1)?.loaded).toBe(size);
}

describe('client.files.upload', () => {
  it('uploads bytes with progress that only grows and ends at the size, and stores them exactly', async () => {
    const data = bytes(200_000, 1);
    const events: UploadProgress[] = [];
    const file = await client.files.upload(Buffer.from(data), {
      name: 'notes.bin',
      onProgress: (p) => events.push(p),
    });
    expect(file).toMatchObject({ name: 'notes.bin', size: data.byteLength });
    expectMonotonicTo(events, data.byteLength);
    expect(events.every((e) => e.total === data.byteLength)).toBe(true);
    const stored = new Uint8Array(await new Response(await client.files.download(file.id)).arrayBuffer());
    expect(Buffer.compare(stored, data)).toBe(0);
  });

  it('streams a Node Readable and a Blob', async () => {
    const data = bytes(150_000, 2);
    const events: UploadProgress[] = [];
    const chunks = Array.from({ length: 15 }, (_, i) =>
      Buffer.from(data.subarray(i * 10_000, (i + 1) * 10_000)),
    );
    const fromStream = await client.files.upload(Readable.from(chunks), {
      name: 'stream.bin',
      onProgress: (p) => events.push(p),
    });
    expect(fromStream.size).toBe(data.byteLength);
    expectMonotonicTo(events, data.byteLength);
    const blob = new Blob([bytes(5000, 3)], { type: 'text/plain' });
    const fromBlob = await client.files.upload(blob, { name: 'blob.txt' });
    expect(fromBlob).toMatchObject({ name: 'blob.txt', size: 5000 });
  });

  it('refuses a file over the size limit with a typed 413 carrying the server code', async () => {
    const error = await client.files
      .upload(Buffer.from(bytes(300 * 1024, 4)), { name: 'too-big.bin' })
      .catch((e: unknown) => e);
    expect(isFileForgeClientError(error)).toBe(true);
    if (!isFileForgeClientError(error)) return;
    expect(error.status).toBe(413);
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.requestId).toBeTruthy();
  });

  it('reports the 413 even when the server stops reading a much larger streamed body', async () => {
    const chunk = Buffer.from(bytes(64 * 1024, 5));
    const many = Readable.from(Array.from({ length: 128 }, () => chunk)); // 8 MiB
    const error = await client.files.upload(many, { name: 'huge.bin' }).catch((e: unknown) => e);
    expect(isFileForgeClientError(error) && error.status === 413 && error.code === 'FILE_TOO_LARGE').toBe(
      true,
    );
  });

  it('closes a file stream the server refused, whether or not it began reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-client-'));
    try {
      const path = join(dir, 'refused.bin');
      await writeFile(path, bytes(1024 * 1024, 40)); // over the 256 KiB limit
      const unauthorised = createClient({ baseUrl: server.url, apiKey: 'ff_not-a-key' });
      for (const upload of [
        (s: ReturnType<typeof createReadStream>) => unauthorised.files.upload(s, { name: 'refused.bin' }),
        (s: ReturnType<typeof createReadStream>) => client.files.upload(s, { name: 'refused.bin' }),
      ]) {
        const streams = Array.from({ length: 5 }, () => createReadStream(path));
        for (const stream of streams) await expect(upload(stream)).rejects.toBeTruthy();
        // Closing a file descriptor is asynchronous: wait for it, up to 5 s.
        await vi.waitFor(
          () => {
            expect(streams.filter((s) => !s.destroyed)).toHaveLength(0);
            const open = readdirSync('/proc/self/fd').filter((fd) => {
              try {
                return readlinkSync(`/proc/self/fd/${fd}`) === path;
              } catch {
                return false;
              }
            });
            expect(open).toEqual([]);
          },
          { timeout: 5000, interval: 50 },
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a source that fails mid-upload (SOURCE_ERROR with its cause), not the network', async () => {
    async function* failing() {
      yield bytes(16 * 1024, 41);
      throw Object.assign(new Error('EACCES: permission denied, read'), { code: 'EACCES' });
    }
    const error = await client.files.upload(failing(), { name: 'unreadable.bin' }).catch((e: unknown) => e);
    expect(isFileForgeClientError(error)).toBe(true);
    if (!isFileForgeClientError(error)) return;
    expect(error.code).toBe('SOURCE_ERROR');
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/could not be read: EACCES/);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EACCES');
  });

  it('stops an upload when its signal aborts, rejecting with ABORTED', async () => {
    const controller = new AbortController();
    let sent = 0;
    async function* endless() {
      for (;;) {
        sent++;
        yield bytes(16 * 1024, 6 + sent);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const error = await client.files
      .upload(endless(), {
        name: 'endless.bin',
        signal: controller.signal,
        onProgress: ({ loaded }) => loaded > 64 * 1024 && controller.abort(),
      })
      .catch((e: unknown) => e);
    expect(isFileForgeClientError(error) && error.code === 'ABORTED' && error.status === 0).toBe(true);
    // A read already under way may finish; after that the source is left alone.
    await new Promise((r) => setTimeout(r, 200));
    const stoppedAt = sent;
    await new Promise((r) => setTimeout(r, 300));
    expect(sent, 'the source is no longer read').toBe(stoppedAt);
  });

  it('answers a missing file with a typed 404 NOT_FOUND and the request id', async () => {
    const error = await client.files.get('01m89x19j1mxtrcxkbagdagbb0').catch((e: unknown) => e);
    expect(isFileForgeClientError(error)).toBe(true);
    if (!isFileForgeClientError(error)) return;
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', name: 'FileForgeClientError' });
    expect(error.requestId).toMatch(/\S/);
  });
});
