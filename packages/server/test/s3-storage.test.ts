import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnCli } from './support/child.js';
import { multipartFrame, openUpload } from './support/raw-upload.js';
import { emulatorClient } from './support/s3.js';
import {
  eventually,
  type FileResource,
  makeTempDir,
  startTestServer,
  stopTestServers,
  waitForFinal,
} from './support/server.js';

let s3: S3Emulator;
let raw: S3Client;
beforeAll(async () => {
  s3 = await startS3Emulator();
  raw = emulatorClient(s3);
});
afterEach(stopTestServers);
afterAll(async () => {
  raw?.destroy();
  await s3?.close();
});

const location = (prefix: string) => ({
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  region: s3.region,
  credentials: s3.credentials,
  prefix,
});

async function objectsUnder(prefix: string): Promise<string[]> {
  const page = await raw.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!.slice(prefix.length));
}

// Issue 13: the server on S3-compatible storage.
describe('the server with blobs in S3-compatible storage', () => {
  it('uploads, downloads whole and by Range, survives an abandoned download, and deletes the object', async () => {
    const prefix = `${randomUUID()}/`;
    const t = await startTestServer({ s3: location(prefix) });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const content = randomBytes(7 * 1024 * 1024 + 3); // more than one multipart part
      const form = new FormData();
      form.append('file', new File([content], 'data.bin'));
      const res = await t.api('/api/v1/files', { method: 'POST', body: form });
      expect(res.status).toBe(201);
      const [file] = ((await res.json()) as { files: FileResource[] }).files;
      await waitForFinal(t.api, file!.id);
      const record = await t.forge.files.get(file!.id);
      expect(await objectsUnder(prefix)).toEqual([record!.blobKey]);

      const whole = await t.api(`/api/v1/files/${file!.id}/download`);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(content)).toBe(true);
      const part = await t.api(`/api/v1/files/${file!.id}/download`, {
        headers: { Range: 'bytes=1000-1999' },
      });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(1000, 2000))).toBe(true);

      // A client that walks away mid-download: the server stays up and serves the next one.
      const controller = new AbortController();
      const abandoned = await t.api(`/api/v1/files/${file!.id}/download`, { signal: controller.signal });
      const reader = abandoned.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.read().catch(() => {});
      const again = await t.api(`/api/v1/files/${file!.id}/download`, { headers: { Range: 'bytes=0-9' } });
      expect(Buffer.from(await again.arrayBuffer()).equals(content.subarray(0, 10))).toBe(true);

      expect((await t.api(`/api/v1/files/${file!.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
      expect(await objectsUnder(prefix)).toEqual([]);
      await new Promise((r) => setTimeout(r, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('keeps nothing of an upload whose client goes away mid-multipart, and aborts its multipart upload', async () => {
    const prefix = `${randomUUID()}/`;
    const t = await startTestServer({ s3: location(prefix) });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const frame = multipartFrame('half.bin');
      const body = randomBytes(24 * 1024 * 1024);
      const upload = openUpload(t.url, {
        ...t.authHeaders,
        'Content-Type': frame.contentType,
        'Content-Length': String(frame.head.length + body.length + frame.tail.length),
      });
      await upload.write(frame.head);
      await upload.write(body.subarray(0, 12 * 1024 * 1024));
      // Go away only once a multipart upload is open in the bucket (a part has gone up).
      await eventually(
        async () => ((await s3.pendingUploads()).length > 0 ? true : undefined),
        'the server never started a multipart upload',
        { timeoutMs: 20_000 },
      );
      upload.req.destroy();
      await upload.response.catch(() => undefined);
      await eventually(
        async () => ((await s3.pendingUploads()).length === 0 ? true : undefined),
        'the multipart upload was left open',
        { timeoutMs: 10_000 },
      );
      // The upload's marker object goes once the abort has answered: nothing stays behind.
      await eventually(
        async () => ((await objectsUnder(prefix)).length === 0 ? true : undefined),
        'an object of the abandoned upload stayed in the bucket',
        { timeoutMs: 10_000 },
      );
      const list = (await (await t.api('/api/v1/files')).json()) as { items: FileResource[] };
      expect(list.items).toEqual([]);
      expect((await fetch(`${t.url}/ready`)).status).toBe(200);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('fileforge ingest stores into the bucket, with no AWS SDK notice in its output', {
    timeout: 120_000,
  }, async () => {
    const cliBucket = await startS3Emulator({ bucket: 'fileforge-cli' });
    try {
      const dataDir = await makeTempDir();
      const path = join(dataDir, 'note.txt');
      await writeFile(path, 'stored in a bucket\n');
      const cli = spawnCli(['ingest', path], {
        ...cliBucket.env,
        DATA_DIR: dataDir,
        PORT: String(await freePort()), // nothing listens there: the CLI stores directly
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '', // as in a user's shell
      });
      const code = await cli.exited;
      const { stdout, stderr } = cli.output();
      expect(code, stderr).toBe(0);
      expect(stderr).not.toContain('NodeVersionSupportWarning');
      expect(stdout).toContain('note.txt');
      const client = emulatorClient(cliBucket);
      try {
        const page = await client.send(new ListObjectsV2Command({ Bucket: cliBucket.bucket }));
        expect(page.Contents?.length).toBe(1);
      } finally {
        client.destroy();
      }
    } finally {
      await cliBucket.close();
    }
  });

  it('reports the storage engine in /ready and /health/detailed, and 503 once the service is gone', async () => {
    const own = await startS3Emulator({ bucket: 'fileforge-health' });
    try {
      const t = await startTestServer({
        s3: { ...location(''), bucket: own.bucket, endpoint: own.endpoint },
      });
      const ready = await fetch(`${t.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ components: { storage: 'healthy' } });
      const detailed = await fetch(`${t.url}/health/detailed`);
      expect(detailed.status).toBe(200);
      expect(await detailed.json()).toMatchObject({
        components: {
          storage: { status: 'healthy', engine: 's3', latency_ms: expect.any(Number), disk_free_gb: null },
        },
      });

      await own.close();
      const notReady = await fetch(`${t.url}/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ components: { storage: 'unhealthy' } });
      const unhealthy = await fetch(`${t.url}/health/detailed`);
      expect(unhealthy.status).toBe(503);
      // The route is public: a fixed text, not the error naming the bucket and its endpoint.
      const text = await unhealthy.text();
      expect(JSON.parse(text)).toMatchObject({
        components: {
          storage: {
            status: 'unhealthy',
            engine: null,
            error: expect.stringMatching(/^storage unavailable/),
          },
        },
      });
      expect(text).not.toContain('fileforge-health');
      expect(text).not.toContain(new URL(own.endpoint).host);
    } finally {
      await own.close().catch(() => {});
    }
  });
});
