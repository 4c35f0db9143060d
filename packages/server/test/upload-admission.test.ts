/**
 * Upload admission (issue 14): per-tenant quotas refuse an upload before its bytes are stored
 * and usage stays right after aborted uploads, deletes and dedupe; `Idempotency-Key` makes a
 * retried POST store nothing twice; a full processing queue answers 503 BUSY; the tus
 * creation passes the same quota.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Processor } from '@fileforge/core';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterAll, describe, expect, it } from 'vitest';
import { openConnection, requestHead } from './support/raw-http.js';
import { multipartFrame, openUpload, readResponse, within } from './support/raw-upload.js';
import { eventually, startTestServer, stopTestServers, type TestServer } from './support/server.js';
import { createUpload, patch, TUS } from './support/tus-requests.js';

const KiB = 1024;
const MiB = 1024 * KiB;

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);
const schemas: Array<{ drop: () => Promise<void> }> = [];
afterAll(async () => {
  await stopTestServers();
  for (const schema of schemas.splice(0)) await schema.drop();
});

const form = (bytes: Uint8Array, name = 'blob.bin') => {
  const body = new FormData();
  body.append('file', new Blob([bytes], { type: 'application/octet-stream' }), name);
  return body;
};
const upload = (s: TestServer, bytes: Uint8Array, headers: Record<string, string> = {}) =>
  s.api('/api/v1/files', { method: 'POST', body: form(bytes), headers });

interface Usage {
  tenant: string;
  bytes: number;
  files: number;
  reservedBytes: number;
  reservedFiles: number;
  quota: { maxBytes: number | null; maxFiles: number | null } | null;
}
const usageOf = async (s: TestServer): Promise<Usage> =>
  (await (await s.api('/api/v1/tenants/current/usage')).json()) as Usage;
const setQuota = (s: TestServer, maxBytes: number | null, maxFiles: number | null = null) =>
  s.api('/api/v1/tenants/current/quota', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ maxBytes, maxFiles }),
  });
const fileCount = async (s: TestServer) =>
  ((await (await s.api('/api/v1/files?limit=100')).json()) as { items: unknown[] }).items.length;

describe('Quotas', () => {
  it('with a 1 MiB quota, the third 400 KiB upload is refused 413 QUOTA_EXCEEDED and nothing of it is kept', async () => {
    const s = await startTestServer();
    expect((await setQuota(s, MiB)).status).toBe(200);
    expect((await upload(s, randomBytes(400 * KiB))).status).toBe(201);
    expect((await upload(s, randomBytes(400 * KiB))).status).toBe(201);
    const third = await upload(s, randomBytes(400 * KiB));
    expect(third.status).toBe(413);
    const body = (await third.json()) as {
      error: { code: string; details: Record<string, number | string> };
    };
    expect(body.error.code).toBe('QUOTA_EXCEEDED');
    expect(body.error.details).toMatchObject({ limit: MiB, used: 800 * KiB, unit: 'bytes' });
    expect(body.error.details.requested).toBeGreaterThanOrEqual(400 * KiB);
    expect(await usageOf(s)).toEqual({
      tenant: 'default',
      bytes: 800 * KiB,
      files: 2,
      reservedBytes: 0,
      reservedFiles: 0,
      quota: { maxBytes: MiB, maxFiles: null },
    });
    expect(await fileCount(s)).toBe(2);
  });

  it('meters a chunked upload (no Content-Length) as it arrives and refuses it at the quota', async () => {
    const s = await startTestServer();
    await setQuota(s, 2 * MiB);
    expect((await upload(s, randomBytes(MiB))).status).toBe(201);
    const frame = multipartFrame('big.bin');
    const open = openUpload(s.url, {
      ...s.authHeaders,
      'Content-Type': frame.contentType,
      'Transfer-Encoding': 'chunked',
    });
    await open.write(frame.head);
    for (let i = 0; i < 24 && !open.answered(); i++) {
      if (!(await open.write(randomBytes(64 * KiB)))) break;
    }
    const res = await readResponse(await open.response);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe('QUOTA_EXCEEDED');
    expect(await usageOf(s)).toMatchObject({ bytes: MiB, files: 1, reservedBytes: 0, reservedFiles: 0 });
    expect(await fileCount(s)).toBe(1);
  });

  it('stores a request of several files that together fit the quota, with or without Content-Length', async () => {
    const s = await startTestServer();
    expect((await setQuota(s, MiB, 2)).status).toBe(200);
    const two = (size: number) => {
      const body = new FormData();
      for (const name of ['a.bin', 'b.bin'])
        body.append('file', new Blob([randomBytes(size)], { type: 'application/octet-stream' }), name);
      return body;
    };
    // Each stored file counts in the usage from its commit on, not twice beside the reservation.
    const sized = await s.api('/api/v1/files', { method: 'POST', body: two(400 * KiB) });
    expect(sized.status, await sized.clone().text()).toBe(201);
    expect(await usageOf(s)).toMatchObject({
      bytes: 800 * KiB,
      files: 2,
      reservedBytes: 0,
      reservedFiles: 0,
    });

    await setQuota(s, 2 * MiB, 4);
    const encoded = new Request('http://localhost/', { method: 'POST', body: two(500 * KiB) });
    const chunked = await s.api('/api/v1/files', {
      method: 'POST',
      body: encoded.body,
      headers: { 'Content-Type': encoded.headers.get('content-type')! },
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status, await chunked.clone().text()).toBe(201);
    expect(await usageOf(s)).toMatchObject({
      bytes: 1800 * KiB,
      files: 4,
      reservedBytes: 0,
      reservedFiles: 0,
    });
  });

  it('after a client aborts mid-body, usage is unchanged and nothing stays reserved', async () => {
    const s = await startTestServer();
    await setQuota(s, MiB);
    expect((await upload(s, randomBytes(100 * KiB))).status).toBe(201);
    const before = await usageOf(s);
    const frame = multipartFrame('cut.bin');
    const open = openUpload(s.url, {
      ...s.authHeaders,
      'Content-Type': frame.contentType,
      'Content-Length': String(frame.head.length + 400 * KiB + frame.tail.length),
    });
    open.response.catch(() => {});
    await open.write(frame.head);
    await open.write(randomBytes(100 * KiB));
    // The reservation is held while the body is on its way...
    await eventually(
      async () => ((await usageOf(s)).reservedBytes > 0 ? true : undefined),
      'reservation held',
    );
    open.req.destroy();
    // ...and given back once the server has seen the client go.
    const after = await eventually(async () => {
      const usage = await usageOf(s);
      return usage.reservedBytes === 0 ? usage : undefined;
    }, 'reservation released');
    expect(after).toEqual(before);
    expect(await fileCount(s)).toBe(1);
  });

  it('counts a deduplicated upload once in bytes and as a file; deletes give both back', async () => {
    const s = await startTestServer();
    const bytes = randomBytes(300 * KiB);
    const a = (await (await upload(s, bytes)).json()) as { files: Array<{ id: string }> };
    const b = (await (await upload(s, bytes)).json()) as { files: Array<{ id: string }> };
    expect(await usageOf(s)).toMatchObject({ bytes: 300 * KiB, files: 2, quota: null });
    await s.api(`/api/v1/files/${a.files[0]!.id}`, { method: 'DELETE' });
    expect(await usageOf(s)).toMatchObject({ bytes: 300 * KiB, files: 1 });
    await s.api(`/api/v1/files/${b.files[0]!.id}`, { method: 'DELETE' });
    expect(await usageOf(s)).toMatchObject({ bytes: 0, files: 0 });
  });

  it('refuses the file quota too, and a tus creation whose Upload-Length is over the quota', async () => {
    const s = await startTestServer();
    await setQuota(s, MiB, 2);
    const created = await s.api('/api/v1/uploads', {
      method: 'POST',
      headers: { ...TUS, 'Upload-Length': String(600 * KiB) },
    });
    expect(created.status).toBe(201);
    // The resumable upload holds its whole length until it completes, is terminated or expires.
    expect(await usageOf(s)).toMatchObject({ reservedBytes: 600 * KiB, reservedFiles: 1 });
    const over = await s.api('/api/v1/uploads', {
      method: 'POST',
      headers: { ...TUS, 'Upload-Length': String(500 * KiB) },
    });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('QUOTA_EXCEEDED');
    // Multipart and tus share the quota.
    expect((await upload(s, randomBytes(500 * KiB))).status).toBe(413);
    const location = new URL(created.headers.get('location')!, s.url).pathname;
    expect((await s.api(location, { method: 'DELETE', headers: TUS })).status).toBe(204);
    expect(await usageOf(s)).toMatchObject({ reservedBytes: 0, reservedFiles: 0 });
    expect((await upload(s, randomBytes(10 * KiB))).status).toBe(201);
    expect((await upload(s, randomBytes(10 * KiB))).status).toBe(201);
    const third = await upload(s, randomBytes(10 * KiB));
    expect(third.status).toBe(413);
    expect(((await third.json()) as { error: { details: unknown } }).error.details).toMatchObject({
      unit: 'files',
      limit: 2,
      used: 2,
      requested: 1,
    });
  });
});

describe('Quotas under concurrency and with tus', () => {
  it('of five 400 KiB uploads racing for a 1 MiB quota, exactly two are stored', async () => {
    const s = await startTestServer();
    await setQuota(s, MiB);
    const answers = await Promise.all(Array.from({ length: 5 }, () => upload(s, randomBytes(400 * KiB))));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 413, 413, 413]);
    expect(await usageOf(s)).toMatchObject({
      bytes: 800 * KiB,
      files: 2,
      reservedBytes: 0,
      reservedFiles: 0,
    });
  });

  it.skipIf(!postgres)(
    'on PostgreSQL too: of five uploads racing for the quota, two are stored; an Idempotency-Key replays',
    async () => {
      const schema = postgresTestSchema();
      schemas.push(schema);
      const s = await startTestServer({ databaseUrl: schema.url });
      await setQuota(s, MiB);
      const answers = await Promise.all(Array.from({ length: 5 }, () => upload(s, randomBytes(400 * KiB))));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 413, 413, 413]);
      expect(await usageOf(s)).toMatchObject({
        bytes: 800 * KiB,
        files: 2,
        reservedBytes: 0,
        reservedFiles: 0,
      });
      await setQuota(s, null);
      const bytes = randomBytes(10 * KiB);
      const key = { 'Idempotency-Key': 'pg-1' };
      expect((await upload(s, bytes, key)).status).toBe(201);
      const replay = await upload(s, bytes, key);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await upload(s, randomBytes(10 * KiB), key)).status).toBe(422);
      expect(await fileCount(s)).toBe(3);
    },
  );

  it('a tus creation-with-upload that fails gives its reservation and its staged bytes back at once', async () => {
    const s = await startTestServer();
    await setQuota(s, 3 * 900 * KiB);
    const body = randomBytes(100 * KiB);
    for (let i = 0; i < 3; i++) {
      const res = await s.api('/api/v1/uploads', {
        method: 'POST',
        headers: {
          ...TUS,
          'Content-Type': 'application/offset+octet-stream',
          'Upload-Length': String(900 * KiB),
          'Upload-Metadata': `filename ${Buffer.from('a.bin').toString('base64')}`,
          'Upload-Checksum': `sha256 ${randomBytes(32).toString('base64')}`,
        },
        body,
      });
      expect(res.status).toBe(460);
      expect(res.headers.get('location')).toBeNull();
    }
    // Nothing the client could resume is left holding the tenant's quota.
    expect(await usageOf(s)).toMatchObject({ bytes: 0, files: 0, reservedBytes: 0, reservedFiles: 0 });
    const staging = s.forge.blobs.stagingDir?.() ?? join(s.dataDir, 'uploads-staging');
    expect(await readdir(staging).catch(() => [])).toEqual([]);
    expect(await createUpload(s, 900 * KiB)).toMatch(/^\/api\/v1\/uploads\//);
  });

  it('a completed tus upload gives its reservation back and counts as the file it became', async () => {
    const s = await startTestServer();
    await setQuota(s, MiB);
    const bytes = randomBytes(300 * KiB);
    const path = await createUpload(s, bytes.length, { filename: 'tus.bin' });
    expect(await usageOf(s)).toMatchObject({ bytes: 0, reservedBytes: 300 * KiB, reservedFiles: 1 });
    const done = await patch(s, path, 0, bytes);
    expect(done.status).toBe(204);
    expect(done.headers.get('fileforge-file-id')).toBeTruthy();
    expect(await usageOf(s)).toMatchObject({
      bytes: 300 * KiB,
      files: 1,
      reservedBytes: 0,
      reservedFiles: 0,
    });
  });
});

describe('Idempotency-Key', () => {
  it('two concurrent POSTs with one key make one file; a later retry replays the first answer', async () => {
    const s = await startTestServer();
    const bytes = randomBytes(256 * KiB);
    const key = { 'Idempotency-Key': 'order-4711' };
    const answers = await Promise.all([upload(s, bytes, key), upload(s, bytes, key)]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    const first = answers.find((r) => r.status === 201 && !r.headers.get('idempotent-replayed'))!;
    const firstBody = await first.text();
    const retry = await upload(s, bytes, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(await retry.text()).toBe(firstBody);
    expect(await fileCount(s)).toBe(1);
  });

  it('while the first request with a key is still sending, a second one gets 409 CONFLICT with Retry-After', async () => {
    const s = await startTestServer();
    await setQuota(s, 100 * MiB);
    const bytes = randomBytes(200 * KiB);
    const frame = multipartFrame('slow.bin');
    const first = openUpload(s.url, {
      ...s.authHeaders,
      'Idempotency-Key': 'slow-1',
      'Content-Type': frame.contentType,
      'Content-Length': String(frame.head.length + bytes.length + frame.tail.length),
    });
    await first.write(frame.head);
    await first.write(bytes.subarray(0, 100 * KiB));
    // The key is claimed before the quota is reserved: once the reservation shows, the first holds it.
    await eventually(
      async () => ((await usageOf(s)).reservedFiles === 1 ? true : undefined),
      'first in flight',
    );
    const second = await upload(s, bytes, { 'Idempotency-Key': 'slow-1' });
    expect(second.status).toBe(409);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');
    await first.write(bytes.subarray(100 * KiB));
    first.req.end(frame.tail);
    expect((await readResponse(await first.response)).status).toBe(201);
    const replay = await upload(s, bytes, { 'Idempotency-Key': 'slow-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await fileCount(s)).toBe(1);
  });

  it('the same key with different bytes is 422 IDEMPOTENCY_KEY_REUSED and stores nothing', async () => {
    const s = await startTestServer();
    const key = { 'Idempotency-Key': 'k-1' };
    expect((await upload(s, randomBytes(10 * KiB), key)).status).toBe(201);
    const reused = await upload(s, randomBytes(10 * KiB), key);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await fileCount(s)).toBe(1);
    // Keys are per caller and per key: another key uploads as usual.
    expect((await upload(s, randomBytes(10 * KiB), { 'Idempotency-Key': 'k-2' })).status).toBe(201);
    expect(await fileCount(s)).toBe(2);
  });

  it('a retry under an answered key is held to the upload limits: 408 when it stalls, 413 when too large', async () => {
    const s = await startTestServer({ maxFileSize: 64 * KiB }, { uploadIdleTimeoutMs: 1000 });
    const key = 'answered-1';
    const bytes = randomBytes(10 * KiB);
    expect((await upload(s, bytes, { 'Idempotency-Key': key })).status).toBe(201);
    const boundary = 'replay';
    const head = (length: number | null) =>
      requestHead('POST', '/api/v1/files', {
        Authorization: s.authHeaders.Authorization!,
        'Idempotency-Key': key,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(length === null ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': length }),
      });
    const partHead =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n';

    // Stalls after its part's headers: cut off by the idle limit, like any upload.
    const stalled = await openConnection(s.url);
    const started = performance.now();
    stalled.send(head(100_000));
    stalled.send(partHead);
    const timedOut = await within(stalled.response(), 10_000, 'the stalled retry was never answered');
    expect(timedOut.status).toBe(408);
    expect(JSON.parse(timedOut.body)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    await within(stalled.closed, 10_000, 'the connection stayed open after the 408');

    // Declares more than any upload may send: refused before its body is read.
    const huge = await openConnection(s.url);
    huge.send(head(10_000_000_000));
    const refused = await within(huge.response(), 10_000, 'the oversized retry was never answered');
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'FILE_TOO_LARGE' } });

    // Chunked, with a file part past MAX_FILE_SIZE: 413, not a fingerprint of a cut file.
    const big = await openConnection(s.url);
    big.send(head(null));
    const chunk = (text: string | Buffer) => {
      const data = Buffer.from(text);
      big.send(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]));
    };
    chunk(partHead);
    for (let i = 0; i < 5; i++) chunk(randomBytes(16 * KiB));
    const tooBig = await within(big.response(), 10_000, 'the oversized chunked retry was never answered');
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body)).toMatchObject({ error: { code: 'FILE_TOO_LARGE' } });
    expect(await fileCount(s)).toBe(1);
  });

  it('a failed request does not keep its key: the retry runs afresh', async () => {
    const s = await startTestServer();
    await setQuota(s, 10 * KiB);
    const key = { 'Idempotency-Key': 'k-retry' };
    const bytes = randomBytes(20 * KiB);
    expect((await upload(s, bytes, key)).status).toBe(413);
    await setQuota(s, null);
    expect((await upload(s, bytes, key)).status).toBe(201);
    expect(await fileCount(s)).toBe(1);
  });
});

describe('Backpressure', () => {
  it.each([
    ['the queue', false],
    ['the catalog', true],
  ])(
    'with a queue depth of 5 (counted by %s) and a blocked processor, the sixth upload gets 503 BUSY with Retry-After; every accepted file is processed once unblocked',
    async (_by, queueInCatalog) => {
      let unblock!: () => void;
      const gate = new Promise<void>((resolve) => {
        unblock = resolve;
      });
      const seen: string[] = [];
      const blocked: Processor = {
        name: 'blocked',
        mimeTypes: ['*/*'],
        async extractMetadata(file) {
          seen.push(file.record.id);
          await gate;
          return { waited: true };
        },
      };
      const s = await startTestServer({ processors: [blocked] } as never, {
        admission: { queueMaxDepth: 5, busyRetryAfterSeconds: 7, queueInCatalog },
      });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await upload(s, randomBytes(8 * KiB));
        expect(res.status).toBe(201);
        ids.push(((await res.json()) as { files: Array<{ id: string }> }).files[0]!.id);
      }
      const busy = await upload(s, randomBytes(8 * KiB));
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('7');
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('BUSY');
      // tus creation is held back the same way.
      const tus = await s.api('/api/v1/uploads', {
        method: 'POST',
        headers: { ...TUS, 'Upload-Length': '10' },
      });
      expect(tus.status).toBe(503);
      expect(await fileCount(s)).toBe(5);
      unblock();
      for (const id of ids) {
        await eventually(async () => {
          const file = (await (await s.api(`/api/v1/files/${id}`)).json()) as { status: string };
          return file.status === 'processed' ? true : undefined;
        }, `file ${id} processed`);
      }
      expect([...seen].sort()).toEqual([...ids].sort());
      // The queue has room again.
      expect((await upload(s, randomBytes(8 * KiB))).status).toBe(201);
    },
  );
});
