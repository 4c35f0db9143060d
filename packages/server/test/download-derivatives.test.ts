import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import type { ForgeOptions, Processor } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, startAccessServer, stopAccessServers, uploadForm } from './support/access-server.js';
import { eventually } from './support/server.js';

afterEach(stopAccessServers);

/** A 2 MiB "transcode": more than one read of the blob store (1 MiB) and several encrypted segments. */
const VIDEO = randomBytes(2 * 1024 * 1024 + 4321);
const ETAG = `"${createHash('sha256').update(VIDEO).digest('hex')}"`;

/** Attaches {@link VIDEO} to every file, as the `media.transcode` step attaches its output. */
const transcoder: Processor = {
  name: 'test-transcode',
  accepts: () => true,
  async process(_file, context) {
    await context.addDerivative({
      name: 'transcode.mp4',
      kind: 'transcode',
      mime: 'video/mp4',
      content: VIDEO,
    });
    return {};
  },
};

/** A server whose files all get a `transcode.mp4`, an admin key, and the derivative's path. */
async function serverWithTranscode(forge: Omit<ForgeOptions, 'dataDir'> = {}) {
  const s = await startAccessServer({ forge: { ...forge, processors: [transcoder] } });
  const admin = await s.server.auth.setup('admin@example.test', 'correct horse battery staple');
  const { key } = await s.server.auth.createApiKey(
    { kind: 'user', id: admin.id, userId: admin.id, tenant: admin.tenant, role: admin.role },
    { name: 'test', role: 'admin' },
  );
  const auth = bearer(key);
  const res = await fetch(`${s.url}/api/v1/files`, {
    method: 'POST',
    body: uploadForm('talk.txt', 'a talk'),
    headers: auth,
  });
  expect(res.status).toBe(201);
  const { id } = ((await res.json()) as { files: Array<{ id: string }> }).files[0]!;
  await eventually(
    async () => ((await s.forge.files.derivatives(id)).length > 0 ? true : undefined),
    'the transcode was never attached',
  );
  const path = `/api/v1/files/${id}/derivatives/transcode.mp4`;
  const api = (init: { method?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${s.url}${path}`, { ...init, headers: { ...auth, ...init.headers } });
  return { ...s, auth, path, api };
}

/** A HEAD over a fresh connection: its status and headers. */
function head(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; bytes: number }>(
    (resolve, reject) => {
      const req = request(url, { method: 'HEAD', headers, agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('derivative downloads', () => {
  for (const encrypted of [false, true]) {
    it(`serve one Range, a suffix, 416 outside and If-Range, so a transcoded video seeks${encrypted ? ' (encrypted at rest)' : ''}`, async () => {
      const { api } = await serverWithTranscode(encrypted ? { encryption: { keys: [randomBytes(32)] } } : {});

      const whole = await api();
      expect(whole.status).toBe(200);
      expect(whole.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await whole.arrayBuffer()).equals(VIDEO)).toBe(true);

      // Across a 64 KiB segment boundary, and the last bytes.
      const [start, end] = [65_530, 200_000];
      const part = await api({ headers: { Range: `bytes=${start}-${end}` } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${VIDEO.length}`);
      expect(part.headers.get('content-length')).toBe(String(end - start + 1));
      expect(part.headers.get('etag')).toBe(ETAG);
      expect(Buffer.from(await part.arrayBuffer()).equals(VIDEO.subarray(start, end + 1))).toBe(true);

      const tail = await api({ headers: { Range: 'bytes=-100' } });
      expect(tail.status).toBe(206);
      expect(Buffer.from(await tail.arrayBuffer()).equals(VIDEO.subarray(-100))).toBe(true);

      const outside = await api({ headers: { Range: `bytes=${VIDEO.length}-` } });
      expect(outside.status).toBe(416);
      expect(outside.headers.get('content-range')).toBe(`bytes */${VIDEO.length}`);
      expect(await outside.json()).toMatchObject({ error: { code: 'RANGE_NOT_SATISFIABLE' } });

      // If-Range naming other bytes: the whole current derivative, not a piece of it.
      const stale = await api({ headers: { Range: 'bytes=0-9', 'If-Range': '"another"' } });
      expect(stale.status).toBe(200);
      expect((await stale.arrayBuffer()).byteLength).toBe(VIDEO.length);
      const fresh = await api({ headers: { Range: 'bytes=0-9', 'If-Range': ETAG } });
      expect(fresh.status).toBe(206);
      expect(Buffer.from(await fresh.arrayBuffer()).equals(VIDEO.subarray(0, 10))).toBe(true);

      const notModified = await api({ headers: { 'If-None-Match': ETAG, Range: 'bytes=0-9' } });
      expect(notModified.status).toBe(304);
      expect(notModified.body).toBeNull();
    });
  }

  it('HEAD answers the headers of GET, Range included, and leaves no derivative file open', async () => {
    const s = await serverWithTranscode();
    // Every stream the route opens, to see that none stays open once its HEAD is answered.
    const opened: Readable[] = [];
    const openDerivative = s.forge.files.openDerivative.bind(s.forge.files);
    s.forge.files.openDerivative = async (...args) => {
      const result = await openDerivative(...args);
      opened.push(result.stream);
      return result;
    };

    for (const range of [undefined, 'bytes=10-19']) {
      const headers = { ...s.auth, ...(range ? { Range: range } : {}) };
      const got = await s.api({ headers });
      await got.arrayBuffer();
      const answered = await head(`${s.url}${s.path}`, headers);
      expect(answered.status).toBe(got.status);
      expect(answered.bytes).toBe(0);
      for (const name of ['content-type', 'content-length', 'content-range', 'etag', 'accept-ranges'])
        expect(answered.headers[name], name).toBe(got.headers.get(name) ?? undefined);
    }
    for (let i = 0; i < 20; i++) expect((await head(`${s.url}${s.path}`, s.auth)).status).toBe(200);

    expect(opened.length).toBeGreaterThan(0);
    // A stream whose response body was dropped, left paused with its file open, never closes.
    await eventually(
      () => (opened.every((stream) => stream.closed) ? true : undefined),
      `${opened.filter((stream) => !stream.closed).length} of ${opened.length} derivative streams still open`,
      { timeoutMs: 3_000 },
    );
  });
});
