import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@fileforge/client';
import { afterEach, describe, expect, it } from 'vitest';
import { maxRequestBytes } from '../src/upload/limits.js';
import { makeText, sha256 } from './support/fixtures.js';
import { multipartFrame, openUpload, readResponse, within } from './support/raw-upload.js';
import {
  eventually,
  type FileResource,
  listFiles,
  startTestServer,
  stopTestServers,
  type TestServer,
} from './support/server.js';

afterEach(stopTestServers);

const LIMIT = 1024 * 1024;

/** Nothing was recorded and nothing is left on disk: no blob, and an empty temp area. */
async function expectNothingStored({ api, uploadFolder }: TestServer) {
  const list = (await (await api(`/api/v1/files`)).json()) as { items: FileResource[] };
  expect(list.items).toEqual([]);
  expect((await listFiles(uploadFolder)).filter((f) => !f.startsWith('.tmp/'))).toEqual([]);
  expect(await readdir(uploadFolder)).toEqual(['.tmp']);
  await eventually(
    async () => ((await readdir(join(uploadFolder, '.tmp'))).length === 0 ? true : undefined),
    'the temp area still holds a partial upload',
    { timeoutMs: 5_000 },
  );
}

describe('upload size limit', () => {
  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const server = await startTestServer({ maxFileSize: LIMIT }, { maxFilesPerRequest: 1 });
    const frame = multipartFrame('too-big.bin');
    // The smallest declared length the server can prove too large for one file: anything
    // up to it could still be a file within the limit plus form fields.
    const declared = maxRequestBytes({ maxFileSize: LIMIT, maxFiles: 1 }) + 1;
    expect(declared - frame.head.length - frame.tail.length).toBeGreaterThan(LIMIT);
    const upload = openUpload(server.url, {
      ...server.authHeaders,
      'Content-Type': frame.contentType,
      'Content-Length': String(declared),
    });
    await upload.write(frame.head);

    // Only the part headers were sent; the answer must come without the file's bytes.
    const res = await within(
      upload.response,
      10_000,
      'no answer to the headers alone: the server waited for the body instead of refusing on Content-Length',
    );
    const { status, text } = await readResponse(res);
    upload.req.destroy();
    expect(status).toBe(413);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'FILE_TOO_LARGE' } });
    await expectNothingStored(server);
  });

  it('refuses a chunked upload once it passes the limit and keeps nothing of it', async () => {
    const server = await startTestServer({ maxFileSize: LIMIT });
    const frame = multipartFrame('stream.bin');
    const upload = openUpload(server.url, {
      ...server.authHeaders,
      'Content-Type': frame.contentType,
      'Transfer-Encoding': 'chunked',
    });
    await upload.write(frame.head);
    const chunk = 64 * 1024;
    for (let sent = 0; sent < LIMIT + 256 * 1024 && !upload.answered(); sent += chunk) {
      if (!(await upload.write(randomBytes(chunk)))) break;
    }
    if (!upload.answered()) upload.req.end(frame.tail);

    const { status, text } = await readResponse(await within(upload.response, 20_000, 'no answer'));
    expect(status).toBe(413);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'FILE_TOO_LARGE' } });

    // After answering, the server reads at most a small bounded amount (1 MiB) and closes the
    // connection instead of draining the rest: a client that keeps sending is cut off long
    // before 32 MiB (loopback socket buffers absorb a few MiB of that on their own).
    const keepSending = async () => {
      let extra = 0;
      while (extra < 32 * 1024 * 1024 && (await upload.write(randomBytes(chunk)))) extra += chunk;
      return extra;
    };
    const extra = await within(keepSending(), 20_000, 'the server neither read nor closed the connection');
    expect(extra).toBeLessThan(32 * 1024 * 1024);
    upload.req.destroy();
    await expectNothingStored(server);
  });

  it('gives a client still streaming a large file the 413, never a connection reset', async () => {
    const server = await startTestServer({ maxFileSize: LIMIT });
    const client = createClient({ baseUrl: server.url, apiKey: server.apiKey, retry: false });
    const size = 30 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 7);
    const codes: string[] = [];
    // Refused after the first MiB of each body; the client goes on writing the other 29 while
    // the answer travels. Closing the connection under it used to lose the answer now and then.
    for (let i = 0; i < 12; i++) {
      const source = Readable.from(
        (function* () {
          for (let at = 0; at < size; at += chunk.length) yield chunk;
        })(),
      );
      const outcome = await client.files.upload(source, { name: 'big.bin' }).then(
        () => 'stored',
        (error: { code: string }) => error.code,
      );
      codes.push(outcome);
    }
    expect(codes).toEqual(Array(12).fill('FILE_TOO_LARGE'));
    await expectNothingStored(server);
  });

  it('accepts a file of exactly the limit', async () => {
    const { api } = await startTestServer({ maxFileSize: LIMIT }, { maxFilesPerRequest: 1 });
    const bytes = randomBytes(LIMIT);
    const form = new FormData();
    form.append('file', new File([bytes], 'exact.bin'));

    const res = await api(`/api/v1/files`, { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [file] = ((await res.json()) as { files: FileResource[] }).files;
    expect(file).toMatchObject({ size: LIMIT, sha256: sha256(bytes) });
  });
});

describe('malformed and interrupted uploads', () => {
  it('answers 400 to a POST that is not multipart', async () => {
    const { api } = await startTestServer();
    const res = await api(`/api/v1/files`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ file: 'notes.txt' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('answers 400 to a multipart body without a file', async () => {
    const server = await startTestServer();
    const form = new FormData();
    form.append('comment', 'no file attached');
    const res = await server.api(`/api/v1/files`, { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    await expectNothingStored(server);
  });

  it('keeps nothing of an upload whose client goes away halfway', async () => {
    const server = await startTestServer();
    const frame = multipartFrame('half.txt', 'text/plain');
    const body = Buffer.concat([makeText(), randomBytes(2 * 1024 * 1024)]);
    const upload = openUpload(server.url, {
      ...server.authHeaders,
      'Content-Type': frame.contentType,
      'Content-Length': String(frame.head.length + body.length + frame.tail.length),
    });
    await upload.write(frame.head);
    await upload.write(body.subarray(0, body.length / 2));
    // Abort only once the server is storing the file, so the abort lands mid-store.
    await eventually(
      async () => ((await readdir(join(server.uploadFolder, '.tmp'))).length > 0 ? true : undefined),
      'the server never started storing the upload',
    );
    upload.req.destroy();
    await upload.response.catch(() => undefined);

    await expectNothingStored(server);
  });
});
