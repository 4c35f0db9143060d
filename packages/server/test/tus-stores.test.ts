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

  it('with the Redis lock store, a client resuming on another instance takes the upload over from a stalled PATCH', async (ctx) => {
    if (!(await requireService('Redis', REDIS_TEST_URL))) return ctx.skip();
    const prefix = `fileforge:test:tus:${randomUUID()}:`;
    const stagingDir = await makeTempDir('fileforge-tus-shared-');
    const lockA = createRedisLockManager({ url: REDIS_TEST_URL, prefix });
    const lockB = createRedisLockManager({ url: REDIS_TEST_URL, prefix });
    locks.push(lockA, lockB);
    const a = await startTestServer({ locks: lockA }, { resumableUploads: { stagingDir } });
    const b = await startTestServer({ locks: lockB }, { resumableUploads: { stagingDir } });
    const bytes = randomBytes(400_000).fill(0, 0, 8); // no magic number by chance
    const path = await createUpload(a, bytes.length);
    // A PATCH on instance A whose client went away unseen: 100,000 bytes came, then nothing.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(bytes.subarray(0, 100_000));
        await released;
        controller.close();
      },
    });
    const stalled = patch(a, path, 0, body).catch((error: unknown) => error);
    const staged = join(stagingDir, path.split('/').pop()!);
    await eventually(
      async () => ((await stat(staged)).size >= 100_000 ? true : undefined),
      'the first PATCH never wrote',
    );
    // The client reconnects through the balancer and lands on instance B, which shares the
    // staged uploads but not the process: only Redis can carry the request to let go. B gets
    // the upload within seconds (not A's 60 s idle timeout), and every byte A stored counts.
    const asked = Date.now();
    expect(await headOffset(b, path)).toBe(100_000);
    expect(Date.now() - asked).toBeLessThan(10_000);
    const resumed = await patch(b, path, 100_000, bytes.subarray(100_000));
    expect(resumed.status).toBe(204);
    const record = await waitForFinal(b.api, resumed.headers.get('fileforge-file-id')!);
    expect(record.sha256).toBe(sha256(bytes));
    release();
    await stalled;
  });
});
