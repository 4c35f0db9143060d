import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { CreateMultipartUploadCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  createEncryptedBlobStore,
  createKeyRing,
  forgeOptionsFromConfig,
  loadConfig,
  openBlobStore,
  rotateKeys,
} from '@fileforge/core';
import { createS3BlobStore, type S3BlobStoreOptions } from '@fileforge/core/storage/s3';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;
const CORE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/s3-put-child.ts', import.meta.url));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Polls `check` every 20 ms until it holds; throws after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let s3: S3Emulator;
let dir: string;
let raw: S3Client;
let n = 0;
beforeAll(async () => {
  s3 = await startS3Emulator();
  dir = await mkdtemp(join(tmpdir(), 'fileforge-s3-store-'));
  raw = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { ...s3.credentials },
    forcePathStyle: true,
  });
});
afterAll(async () => {
  raw?.destroy();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Options of a store with its own prefix (so tests never see each other's objects). */
function storeOptions(extra: Partial<S3BlobStoreOptions> = {}): S3BlobStoreOptions {
  n++;
  return {
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    prefix: `p${n}/`,
    tempDir: join(dir, `tmp${n}`),
    partSize: 5 * MiB,
    ...extra,
  };
}

/** Every object under `prefix` in the bucket, markers included. */
async function objectsUnder(prefix: string): Promise<string[]> {
  const page = await raw.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

async function* chunks(data: Buffer, size: number, after?: (sent: number) => Promise<void>) {
  for (let i = 0; i < data.length; i += size) {
    yield data.subarray(i, i + size);
    await after?.(i + size);
  }
}

describe('S3 blob store (issue 13)', { timeout: 60_000 }, () => {
  it('streams a large body as a multipart upload that is invisible until complete', async () => {
    const options = storeOptions();
    const store = createS3BlobStore(options);
    const data = randomBytes(12 * MiB + 5);
    let visibleMidway: unknown = 'unchecked';
    const result = await store.put(
      't/big',
      chunks(data, 256 * 1024, async (sent) => {
        if (sent !== 11 * MiB) return;
        // Two parts are up by now (5 MiB each, one at a time at most two in flight).
        await until(async () => (await s3.pendingUploads()).length === 1);
        visibleMidway = await store.stat('t/big');
      }),
    );
    expect(visibleMidway).toBeNull();
    expect(result).toEqual({ key: 't/big', size: data.length, sha256: sha256(data) });
    expect(sha256(Buffer.concat(await (await store.get('t/big')).toArray()))).toBe(sha256(data));
    // Completed: no open upload, no marker, just the blob.
    expect(await s3.pendingUploads()).toEqual([]);
    expect(await objectsUnder(options.prefix!)).toEqual([`${options.prefix}t/big`]);
  });

  it('aborts the multipart upload of a put whose source fails after some parts', async () => {
    const options = storeOptions();
    const store = createS3BlobStore(options);
    async function* failing() {
      yield* chunks(randomBytes(11 * MiB), MiB);
      await until(async () => (await s3.pendingUploads()).length === 1);
      throw new Error('source failed');
    }
    await expect(store.put('t/broken', failing())).rejects.toThrow('source failed');
    expect(await store.stat('t/broken')).toBeNull();
    expect(await s3.pendingUploads()).toEqual([]);
    expect(await objectsUnder(options.prefix!)).toEqual([]);
    expect(await store.sweep()).toBe(0);
  });

  it('aborts the multipart upload of a put cancelled through its signal', async () => {
    const options = storeOptions();
    const store = createS3BlobStore(options);
    const controller = new AbortController();
    const put = store.put(
      't/cancelled',
      chunks(randomBytes(20 * MiB), MiB, async (sent) => {
        if (sent === 11 * MiB) {
          await until(async () => (await s3.pendingUploads()).length === 1);
          controller.abort();
        }
      }),
      { signal: controller.signal },
    );
    await expect(put).rejects.toMatchObject({ code: 'ABORTED' });
    expect(await store.stat('t/cancelled')).toBeNull();
    expect(await s3.pendingUploads()).toEqual([]);
    expect(await objectsUnder(options.prefix!)).toEqual([]);
  });

  it('a put killed mid-upload leaves no object, and the sweeper aborts its upload after the grace', async () => {
    const options = storeOptions();
    const child = spawn(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', CHILD, JSON.stringify(options)],
      { cwd: CORE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(signal ?? code));
    });
    try {
      // Parts are up and the upload is recorded: kill the process in the middle of it.
      await until(async () => {
        const open = await s3.pendingUploads();
        return open.length === 1 && (await objectsUnder(`${options.prefix}.fileforge/uploads/`)).length === 1;
      }, 30_000);
      expect(output).toContain('sent');
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');

    const store = createS3BlobStore(options);
    expect(await store.stat('t/killed')).toBeNull();
    expect([...(await collectList(store))]).toEqual([]);
    // Within the grace period the upload may be another process's live one: left alone.
    expect(await store.sweep()).toBe(0);
    expect(await s3.pendingUploads()).toHaveLength(1);
    // Past it, the sweeper aborts the upload and removes its marker.
    const later = createS3BlobStore({ ...options, now: () => Date.now() + 2 * 3_600_000 });
    // A periodic sweep may ask for a longer grace than the store's own, never a shorter one.
    expect(await later.sweep({ olderThanMs: 3 * 3_600_000 })).toBe(0);
    expect(await later.sweep({ olderThanMs: 0 })).toBe(1);
    expect(await s3.pendingUploads()).toEqual([]);
    expect(await objectsUnder(options.prefix!)).toEqual([]);
    expect(await later.stat('t/killed')).toBeNull();
  });

  it('aborts, where the service lists multipart uploads, an old upload nothing recorded, and only FileForge ones', async () => {
    const listing = await startS3Emulator({ bucket: 'fileforge-listing', listMultipartUploads: true });
    const client = new S3Client({
      endpoint: listing.endpoint,
      region: listing.region,
      credentials: { ...listing.credentials },
      forcePathStyle: true,
    });
    try {
      const options = {
        ...storeOptions(),
        bucket: listing.bucket,
        endpoint: listing.endpoint,
        prefix: 'p/',
      };
      // A process that died between starting its upload and recording it, and another
      // application's upload in the same bucket.
      await client.send(new CreateMultipartUploadCommand({ Bucket: listing.bucket, Key: 'p/t/unrecorded' }));
      await client.send(
        new CreateMultipartUploadCommand({ Bucket: listing.bucket, Key: 'p/Other-App/Upload.TXT' }),
      );
      expect(await listing.pendingUploads()).toHaveLength(2);
      expect(await createS3BlobStore(options).sweep()).toBe(0); // young: maybe another instance's
      const later = createS3BlobStore({ ...options, now: () => Date.now() + 2 * 3_600_000 });
      expect(await later.sweep()).toBe(1);
      expect(await listing.pendingUploads()).toHaveLength(1);
    } finally {
      client.destroy();
      await listing.close();
    }
  });

  it('an endpoint that accepts connections and answers nothing fails puts and reads with STORAGE_UNAVAILABLE, never hangs', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      socket.resume(); // takes whatever is sent, answers nothing
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const store = createS3BlobStore(
      storeOptions({ endpoint: `http://127.0.0.1:${port}`, socketTimeoutMs: 300 }),
    );
    try {
      for (const call of [
        () => store.put('k', Readable.from([Buffer.from('bytes')])),
        () => store.stat('k'),
        () => store.get('k'),
      ]) {
        const start = performance.now();
        await expect(call()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
        expect(performance.now() - start).toBeLessThan(20_000);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reads ranges from a start, up to an end, and past the end', async () => {
    const store = createS3BlobStore(storeOptions());
    await store.put('t/range', Readable.from([Buffer.from('0123456789')]));
    expect(await text(await store.get('t/range', { start: 7 }))).toBe('789');
    expect(await text(await store.get('t/range', { end: 2 }))).toBe('012');
    expect(await text(await store.get('t/range', { start: 10 }))).toBe('');
    await expect(store.get('t/none', { start: 3 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives tools that seek a private temp copy (0600), removed afterwards', async () => {
    const options = storeOptions();
    const store = createS3BlobStore(options);
    const data = randomBytes(300 * 1024);
    await store.put('t/seek', Readable.from([data]));
    let seen: { path: string; mode: number; dirMode: number; bytes: Buffer } | undefined;
    await store.withLocalFile!('t/seek', async (path) => {
      seen = {
        path,
        mode: (await stat(path)).mode & 0o777,
        dirMode: (await stat(dirname(path))).mode & 0o777,
        bytes: await readFile(path),
      };
    });
    expect(seen?.path.startsWith(options.tempDir)).toBe(true);
    expect(seen?.mode).toBe(0o600);
    expect(seen?.dirMode).toBe(0o700);
    expect(seen?.bytes.equals(data)).toBe(true);
    await expect(stat(seen!.path)).rejects.toMatchObject({ code: 'ENOENT' });
    // A probe needs only the head.
    await store.withLocalFile!('t/seek', async (path) => expect((await readFile(path)).length).toBe(1000), {
      headBytes: 1000,
    });
  });

  it('lists its blobs (not its markers or other prefixes) and reports its engine', async () => {
    const store = createS3BlobStore(storeOptions());
    await store.put('a/one', Readable.from([Buffer.from('1')]));
    await store.put('b/two', Readable.from([Buffer.from('22')]));
    expect((await collectList(store)).map((e) => [e.key, e.size])).toEqual([
      ['a/one', 1],
      ['b/two', 2],
    ]);
    await expect(store.check()).resolves.toEqual({ engine: 's3' });
  });

  it('rotates the keys of encryption at rest: blobs re-wrapped in the bucket, readable with the new key only', async () => {
    const options = storeOptions();
    const inner = createS3BlobStore(options);
    const [keyA, keyB] = [
      { id: 'a', key: randomBytes(32) },
      { id: 'b', key: randomBytes(32) },
    ];
    const tempDir = join(dir, `dec${n}`);
    const data = randomBytes(6 * MiB + 11); // rewritten as a multipart upload
    const before = createEncryptedBlobStore({ inner, keyRing: createKeyRing({ keys: [keyA] }), tempDir });
    await before.put('t/secret', Readable.from([data]));
    const rotating = createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [keyB, keyA] }),
      tempDir,
    });
    expect(await rotateKeys(rotating)).toMatchObject({ total: 1, rewrapped: 1, failed: [] });
    expect(await rotating.rewrap('t/secret')).toBe('current');
    const after = createEncryptedBlobStore({ inner, keyRing: createKeyRing({ keys: [keyB] }), tempDir });
    expect(sha256(Buffer.concat(await (await after.get('t/secret')).toArray()))).toBe(sha256(data));
    await expect(before.get('t/secret')).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
    expect(await s3.pendingUploads()).toEqual([]);
    expect(await objectsUnder(options.prefix!)).toEqual([`${options.prefix}t/secret`]);
  });

  it('answers STORAGE_UNAVAILABLE when the bucket cannot be reached', async () => {
    const store = createS3BlobStore(storeOptions({ bucket: 'no-such-bucket' }));
    await expect(store.check()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(store.put('t/x', Readable.from([Buffer.from('x')]))).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
  });

  it('refuses bad options at construction, naming them', () => {
    expect(() => createS3BlobStore({ tempDir: dir } as S3BlobStoreOptions)).toThrow('"bucket"');
    expect(() => createS3BlobStore(storeOptions({ partSize: MiB }))).toThrow('"partSize"');
    expect(() => createS3BlobStore(storeOptions({ prefix: 'no-slash' }))).toThrow('"prefix"');
  });

  it('is what AWS_BUCKET_NAME and S3_ENDPOINT select, path-style by default', async () => {
    const env = { ...s3.env, DATA_DIR: join(dir, 'data') };
    const options = forgeOptionsFromConfig(loadConfig(env, dir));
    expect(options.s3).toEqual({
      bucket: s3.bucket,
      region: s3.region,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
    });
    expect(
      forgeOptionsFromConfig(loadConfig({ ...env, S3_FORCE_PATH_STYLE: 'false' }, dir)).s3,
    ).toMatchObject({
      forcePathStyle: false,
    });
    expect(() => loadConfig({ ...env, S3_FORCE_PATH_STYLE: 'sometimes' }, dir)).toThrow(
      /S3_FORCE_PATH_STYLE/,
    );
    expect(() => loadConfig({ ...env, AWS_BUCKET_NAME: 'a' }, dir)).toThrow(/AWS_BUCKET_NAME/);
    const store = await openBlobStore({ root: join(dir, 'uploads'), s3: options.s3! });
    const put = await store.put('t/env', Readable.from([Buffer.from('through the env')]));
    expect(put.size).toBe(15);
    expect(await objectsUnder('t/env')).toEqual(['t/env']);
    await store.delete('t/env');
    expect(await objectsUnder('t/env')).toEqual([]);
  });
});

describe('@fileforge/core and the AWS SDK', { timeout: 60_000 }, () => {
  /** Runs `script` in a fresh Node process whose module loader refuses any @aws-sdk module. */
  function withoutAwsSdk(script: string) {
    const hooks = `export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      if (result.url.includes('/@aws-sdk/')) throw new Error('AWS SDK loaded: ' + result.url);
      return result;
    }`;
    const probe = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
      ${script}
    `;
    return spawnSync(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', probe],
      { cwd: CORE_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
  }

  it('loads no AWS SDK module on import; opening an S3 store does', () => {
    const imported = withoutAwsSdk("await import('@fileforge/core'); console.log('imported');");
    expect(imported.stderr).not.toContain('AWS SDK loaded');
    expect(imported.stdout).toContain('imported');
    const opened = withoutAwsSdk(
      "const { openBlobStore } = await import('@fileforge/core'); await openBlobStore({ root: '/tmp/x', s3: { bucket: 'b' } });",
    );
    expect(opened.stderr).toContain('AWS SDK loaded');
  });

  it("keeps the SDK's Node 20 support notice out of a FileForge process's output", () => {
    const probe = `
      const { createS3BlobStore } = await import('@fileforge/core/storage/s3');
      createS3BlobStore({ bucket: 'b', tempDir: '/tmp/fileforge-unused' });
      const { S3Client } = await import('@aws-sdk/client-s3');
      new S3Client({ region: 'us-east-1' }); // the user's own client after ours: still quiet
      await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on a later tick
      console.log(String(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED));
    `;
    const result = spawnSync(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', probe],
      {
        cwd: CORE_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: withoutVariable('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'),
      },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
    expect(result.stdout.trim()).toBe('undefined'); // the user's environment is left as it was
  });
});

function withoutVariable(name: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[name];
  return env;
}

async function collectList(store: { list?(): AsyncIterable<{ key: string; size: number }> }) {
  const out: { key: string; size: number }[] = [];
  for await (const entry of store.list!()) out.push(entry);
  return out;
}
