import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  startTestServer,
  stopTestServers,
  type TestServer,
  waitForFinal,
} from './support/server.js';
import { createUpload, headOffset, OCTETS, otherTenantHeaders, patch, TUS } from './support/tus-requests.js';

afterEach(stopTestServers);

const staged = (s: TestServer) => readdir(join(s.uploadFolder, '.staging'));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A request body that sends `head`, then waits for `release()` before sending `tail`. */
function heldBody(head: Uint8Array, tail: Uint8Array) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let sentHead!: () => void;
  const headSent = new Promise<void>((resolve) => (sentHead = resolve));
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(head);
      sentHead();
      await released;
      controller.enqueue(tail);
      controller.close();
    },
  });
  return { stream, release, headSent };
}

describe('tus protocol rules', () => {
  it('lets a client resuming past a stalled PATCH take the upload over: the stalled bytes are kept, one file results', async () => {
    const s = await startTestServer();
    const bytes = Buffer.from('a'.repeat(300_000) + 'b'.repeat(300_000));
    const path = await createUpload(s, bytes.length);
    // A PATCH whose client went away unseen: 200,000 bytes came, then nothing more.
    const first = heldBody(bytes.subarray(0, 200_000), bytes.subarray(200_000));
    const stalled = patch(s, path, 0, first.stream);
    await first.headSent;
    const stagedFile = join(s.uploadFolder, '.staging', path.split('/').pop()!);
    await eventually(
      async () => ((await stat(stagedFile)).size >= 200_000 ? true : undefined),
      'the first PATCH never wrote',
    );
    // The client reconnects and asks where to resume: the stalled request lets go (within
    // seconds, not the 60 s idle timeout) and every byte it stored counts.
    const asked = Date.now();
    const offset = await headOffset(s, path);
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(offset).toBe(200_000);
    const resumed = await patch(s, path, 200_000, bytes.subarray(200_000));
    expect(resumed.status).toBe(204);
    const fileId = resumed.headers.get('fileforge-file-id');
    expect(fileId).toBeTruthy();
    const record = await waitForFinal(s.api, fileId!);
    expect(record.sha256).toBe(sha256(bytes));
    first.release();
    await stalled;
    const list = (await (await s.api('/api/v1/files')).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
    // The staged bytes became the blob (linked, not left behind or copied beside it).
    expect((await staged(s)).filter((n) => !n.endsWith('.json'))).toEqual([]);
  });

  it('refuses a chunk whose checksum does not match with 460 and keeps the offset', async () => {
    const s = await startTestServer();
    const bytes = Buffer.from('checksummed content, twice. '.repeat(100));
    const path = await createUpload(s, bytes.length);
    const ok = await patch(s, path, 0, bytes.subarray(0, 1000), bytes.subarray(0, 1000));
    expect(ok.status).toBe(204);
    const bad = await patch(s, path, 1000, bytes.subarray(1000, 2000), Buffer.from('something else'));
    expect(bad.status).toBe(460);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('CHECKSUM_MISMATCH');
    expect(await headOffset(s, path)).toBe(1000);
    const rest = await patch(s, path, 1000, bytes.subarray(1000), bytes.subarray(1000));
    expect(rest.status).toBe(204);
    const record = await waitForFinal(s.api, rest.headers.get('fileforge-file-id')!);
    expect(record.sha256).toBe(sha256(bytes));
    expect(record.mime).toBe('text/plain');
  });

  it('answers a wrong offset with 409 OFFSET_MISMATCH and changes nothing', async () => {
    const s = await startTestServer();
    const path = await createUpload(s, 100);
    expect((await patch(s, path, 0, Buffer.alloc(10, 1))).status).toBe(204);
    const res = await patch(s, path, 5, Buffer.alloc(10, 2));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('OFFSET_MISMATCH');
    expect(await headOffset(s, path)).toBe(10);
  });

  it('answers another protocol version with 412 naming the version served (Tus-Version), on creation and on an upload', async () => {
    const s = await startTestServer();
    const path = await createUpload(s, 10);
    const old = { 'Tus-Resumable': '0.2.2' };
    const refusals = [
      await s.api('/api/v1/uploads', { method: 'POST', headers: { ...old, 'Upload-Length': '10' } }),
      await s.api(path, { method: 'HEAD', headers: old }),
      await s.api(path, {
        method: 'PATCH',
        headers: { ...old, ...OCTETS, 'Upload-Offset': '0' },
        body: Buffer.alloc(10),
      }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(412);
      expect(res.headers.get('tus-version')).toBe('1.0.0');
    }
    expect(((await refusals[2]!.json()) as { error: { code: string } }).error.code).toBe(
      'TUS_VERSION_UNSUPPORTED',
    );
    expect(await headOffset(s, path)).toBe(0);
  });

  it('refuses an Upload-Length over MAX_FILE_SIZE with 413 FILE_TOO_LARGE before storing anything', async () => {
    const s = await startTestServer({ maxFileSize: 1024 * 1024 });
    const before = await staged(s).catch(() => []);
    const res = await s.api('/api/v1/uploads', {
      method: 'POST',
      headers: { ...TUS, ...OCTETS, 'Upload-Length': String(1024 * 1024 + 1) },
      body: Buffer.alloc(1000),
    });
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as { error: { code: string; details: { limit: number } } };
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.details.limit).toBe(1024 * 1024);
    expect(await staged(s).catch(() => [])).toEqual(before);
  });

  it('answers a chunked PATCH that runs past Upload-Length with 413 FILE_TOO_LARGE', async () => {
    const s = await startTestServer();
    const path = await createUpload(s, 1500);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(3000).fill(7));
        controller.close();
      },
    });
    const res = await patch(s, path, 0, body);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FILE_TOO_LARGE');
  });

  it('terminating a completed upload forgets the upload (HEAD 404) and keeps its file', async () => {
    const s = await startTestServer();
    const path = await createUpload(s, 5);
    const done = await patch(s, path, 0, Buffer.from('hello'));
    expect(done.status).toBe(204);
    const fileId = done.headers.get('fileforge-file-id');
    expect(fileId).toBeTruthy();
    expect((await s.api(path, { method: 'DELETE', headers: TUS })).status).toBe(204);
    expect(await headOffset(s, path)).toBe('status 404');
    expect((await s.api(`/api/v1/files/${fileId}`)).status).toBe(200);
  });

  it('sends a file in more chunks than the request rate limit allows: chunks are not counted, other requests are', async () => {
    const s = await startTestServer({}, { rateLimit: '5 per minute' });
    const path = await createUpload(s, 12);
    for (let offset = 0; offset < 12; offset++) {
      const res = await patch(s, path, offset, Buffer.from([offset]));
      expect(res.status, `chunk ${offset}`).toBe(204);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await s.api('/api/v1/files')).status);
    expect(statuses).toContain(429);
  });

  // Regression: the exemption for an authenticated caller's chunks covered PATCHes to ids that
  // name no upload of theirs, so a credentialed client could send those without limit.
  it('counts PATCHes to upload ids that do not exist: past the limit they get 429, real chunks still pass', async () => {
    const s = await startTestServer({}, { rateLimit: '5 per minute' });
    const path = await createUpload(s, 2);
    const madeUp = ['/api/v1/uploads/0123456789abcdef0123456789abcdef', '/api/v1/uploads/not-an-upload'];
    const answers: Array<{ status: number; code?: string; retryAfter: string | null }> = [];
    for (let i = 0; i < 8; i++) {
      const res = await patch(s, madeUp[i % 2]!, 0, Buffer.from('x'));
      const body = (await res.json()) as { error: { code: string } };
      answers.push({ status: res.status, code: body.error.code, retryAfter: res.headers.get('retry-after') });
    }
    // The creation took one of the five; four PATCHes are answered 404, the rest 429.
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 429, 429, 429, 429]);
    expect(answers[4]).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(answers[4]!.retryAfter)).toBeGreaterThan(0);
    // The caller's own upload still takes its chunks with the bucket empty.
    expect((await patch(s, path, 0, Buffer.from('a'))).status).toBe(204);
    expect((await patch(s, path, 1, Buffer.from('b'))).status).toBe(204);
  });

  it('refuses a file name over 255 bytes at creation (400 INVALID_FILENAME), not after the last byte', async () => {
    const s = await startTestServer();
    const res = await s.api('/api/v1/uploads', {
      method: 'POST',
      headers: {
        ...TUS,
        'Upload-Length': '10',
        'Upload-Metadata': `filename ${Buffer.from(`${'n'.repeat(300)}.txt`).toString('base64')}`,
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_FILENAME');
  });

  it("answers another tenant's upload id with 404, like a missing one", async () => {
    const s = await startTestServer();
    const path = await createUpload(s, 10);
    const other = await otherTenantHeaders(s);
    for (const init of [
      { method: 'HEAD', headers: { ...TUS, ...other } },
      { method: 'GET', headers: other },
      { method: 'PATCH', headers: { ...TUS, ...OCTETS, ...other, 'Upload-Offset': '0' }, body: 'x' },
      { method: 'DELETE', headers: { ...TUS, ...other } },
    ]) {
      const res = await fetch(`${s.url}${path}`, init);
      expect(res.status, init.method).toBe(404);
    }
    const missing = await s.api('/api/v1/uploads/00000000000000000000000000000000');
    expect(missing.status).toBe(404);
    expect(await headOffset(s, path)).toBe(0);
  });

  it('reports status, completes once, and answers a repeated last PATCH with the same file', async () => {
    const s = await startTestServer();
    const bytes = Buffer.from('hello resumable world\n');
    const path = await createUpload(s, bytes.length, { filename: 'hello.txt', filetype: 'text/plain' });
    const pending = (await (await s.api(path)).json()) as Record<string, unknown>;
    expect(pending).toMatchObject({ offset: 0, length: bytes.length, fileId: null });
    expect(Date.parse(pending.expiresAt as string)).toBeGreaterThan(Date.now());
    const last = await patch(s, path, 0, bytes);
    const fileId = last.headers.get('fileforge-file-id');
    expect(fileId).toBeTruthy();
    const again = await patch(s, path, bytes.length, new Uint8Array());
    expect(again.status).toBe(204);
    expect(again.headers.get('fileforge-file-id')).toBe(fileId);
    const head = await s.api(path, { method: 'HEAD', headers: TUS });
    expect(head.headers.get('upload-offset')).toBe(String(bytes.length));
    const record = await waitForFinal(s.api, fileId!);
    expect(record.name).toBe('hello.txt');
    const list = (await (await s.api('/api/v1/files')).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('answers 201 with Location and the file id when the creating POST carries the whole upload', async () => {
    const s = await startTestServer();
    const meta = (name: string) => `filename ${Buffer.from(name).toString('base64')}`;
    const bytes = Buffer.from('all of it in the creation request\n');
    const withBody = await s.api('/api/v1/uploads', {
      method: 'POST',
      headers: {
        ...TUS,
        ...OCTETS,
        'Upload-Length': String(bytes.length),
        'Upload-Metadata': meta('one.txt'),
      },
      body: bytes,
    });
    expect(withBody.status, await withBody.clone().text()).toBe(201);
    expect(withBody.headers.get('location')).toBeTruthy();
    const fileId = withBody.headers.get('fileforge-file-id');
    expect(fileId).toBeTruthy();
    expect((await waitForFinal(s.api, fileId!)).name).toBe('one.txt');
    // An empty upload is complete at creation as well.
    const empty = await s.api('/api/v1/uploads', {
      method: 'POST',
      headers: { ...TUS, 'Upload-Length': '0', 'Upload-Metadata': meta('empty.txt') },
    });
    expect(empty.status, await empty.clone().text()).toBe(201);
    expect(empty.headers.get('fileforge-file-id')).toBeTruthy();
    const status = (await (await s.api(new URL(empty.headers.get('location')!, s.url).pathname)).json()) as {
      fileId: string | null;
    };
    expect(status.fileId).toBe(empty.headers.get('fileforge-file-id'));
  });

  it('terminates an unfinished upload (DELETE) and removes its bytes', async () => {
    const s = await startTestServer();
    const path = await createUpload(s, 100);
    await patch(s, path, 0, Buffer.alloc(50));
    const res = await s.api(path, { method: 'DELETE', headers: TUS });
    expect(res.status).toBe(204);
    expect(await headOffset(s, path)).toBe('status 404');
    expect(await staged(s)).toEqual([]);
  });

  it('sweeps expired unfinished uploads and keeps young ones', async () => {
    let clock = Date.now();
    const s = await startTestServer(
      {},
      { resumableUploads: { expiryMs: 60 * 60_000, sweepIntervalMs: 50, now: () => clock } },
    );
    const old = await createUpload(s, 100);
    await patch(s, old, 0, Buffer.alloc(40));
    clock += 60 * 60_000 + 1;
    const young = await createUpload(s, 100);
    await patch(s, young, 0, Buffer.alloc(30));
    const oldId = old.split('/').pop()!;
    await eventually(
      async () => ((await staged(s)).some((n) => n.startsWith(oldId)) ? undefined : true),
      'the expired upload was never swept',
    );
    expect(await headOffset(s, old)).toBe('status 404');
    expect(await headOffset(s, young)).toBe(30);
  });
});
