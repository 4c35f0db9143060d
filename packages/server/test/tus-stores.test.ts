import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createRedisLockManager, type LockManager } from '@fileforge/core';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually, makeTempDir, startTestServer, stopTestServers, waitForFinal } from './support/server.js';
import { createUpload, headOffset, patch } from './support/tus-requests.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let s3: S3Emulator | undefined;
const locks: LockManager[] = [];
afterEach(stopTestServers);
afterAll(async () => {
  await s3?.close();
  await Promise.all(locks.map((l) => l.close()));
});

async function downloadSha256(api: (path: string) => Promise<Response>, id: string): Promise<string> {
  const res = await api(`/api/v1/files/${id}/download`);
  expect(res.status).toBe(200);
  const hash = createHash('sha256');
  for await (const chunk of res.body!) hash.update(chunk);
  return hash.digest('hex');
}

/** Uploads `bytes` in two chunks; returns the file id the last one named. */
async function uploadInTwo(s: Awaited<ReturnType<typeof startTestServer>>, bytes: Buffer): Promise<string> {
  const path = await createUpload(s, bytes.length, { filename: 'two.bin' });
  const half = Math.floor(bytes.length / 2);
  expect((await patch(s, path, 0, bytes.subarray(0, half))).status).toBe(204);
  const last = await patch(s, path, half, bytes.subarray(half));
  expect(last.status).toBe(204);
  return last.headers.get('fileforge-file-id')!;
}

describe('resumable uploads on every blob store, by the same code path', () => {
  it('streams the finished upload into S3-compatible storage (multipart) and leaves nothing staged', async () => {
    s3 = await startS3Emulator();
    const s = await startTestServer({
      s3: {
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: s3.region,
        credentials: s3.credentials,
        prefix: `${randomUUID()}/`,
      },
    });
    const bytes = randomBytes(7 * 1024 * 1024 + 5); // more than one S3 multipart part
    const fileId = await uploadInTwo(s, bytes);
    const record = await waitForFinal(s.api, fileId);
    expect(record.sha256).toBe(sha256(bytes));
    expect(await downloadSha256(s.api, fileId)).toBe(sha256(bytes));
    const staging = await readdir(join(s.dataDir, 'uploads-staging'));
    expect(staging.filter((n) => !n.endsWith('.json'))).toEqual([]);
  });

  it('encrypts the finished upload at rest (streamed through the encrypting store, never linked)', async () => {
    const s = await startTestServer({ encryption: { keys: [randomBytes(32)] } });
    const bytes = Buffer.from('secret plans, resumably uploaded\n'.repeat(5000));
    const fileId = await uploadInTwo(s, bytes);
    const record = await waitForFinal(s.api, fileId);
    expect(record.sha256).toBe(sha256(bytes));
    expect(await downloadSha256(s.api, fileId)).toBe(sha256(bytes));
    // What lies in the upload folder is ciphertext: the plaintext appears nowhere in it.
    const blobs = (await readdir(s.uploadFolder, { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile(),
    );
    expect(blobs.length).toBeGreaterThan(0);
    const { readFile } = await import('node:fs/promises');
    for (const entry of blobs) {
      const content = await readFile(join(entry.parentPath, entry.name));
      expect(content.includes(Buffer.from('secret plans'))).toBe(false);
    }
  });

  it('with the Redis lock store, a PATCH on one instance locks the upload on another (423)', async (ctx) => {
    if (!(await requireService('Redis', REDIS_TEST_URL))) return ctx.skip();
    const prefix = `fileforge:test:tus:${randomUUID()}:`;
    const stagingDir = await makeTempDir('fileforge-tus-shared-');
    const lockA = createRedisLockManager({ url: REDIS_TEST_URL, prefix });
    const lockB = createRedisLockManager({ url: REDIS_TEST_URL, prefix });
    locks.push(lockA, lockB);
    const a = await startTestServer({ locks: lockA }, { resumableUploads: { stagingDir } });
    const b = await startTestServer({ locks: lockB }, { resumableUploads: { stagingDir } });
    const path = await createUpload(a, 400_000);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new Uint8Array(100_000));
        await released;
        controller.close();
      },
    });
    const holding = patch(a, path, 0, body);
    // The PATCH holds the lock once its bytes reach the staged file.
    const staged = join(stagingDir, path.split('/').pop()!);
    await eventually(
      async () => ((await stat(staged)).size > 0 ? true : undefined),
      'the first PATCH never wrote',
    );
    // Instance B shares the staged uploads but not the process: only Redis can tell it.
    const other = await fetch(`${b.url}${path}`, {
      method: 'PATCH',
      headers: {
        ...b.authHeaders,
        'Tus-Resumable': '1.0.0',
        'Content-Type': 'application/offset+octet-stream',
        'Upload-Offset': '0',
      },
      body: new Uint8Array(10),
    });
    expect(other.status).toBe(423);
    release();
    expect((await holding).status).toBe(204);
    expect(await headOffset(a, path)).toBe(100_000);
  });
});
