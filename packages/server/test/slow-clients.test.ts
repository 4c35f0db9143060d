import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLargeText, sha256 } from './support/fixtures.js';
import { openConnection, type RawConnection, requestHead } from './support/raw-http.js';
import { within } from './support/raw-upload.js';
import { type FileResource, startTestServer, stopTestServers } from './support/server.js';

const trickles: NodeJS.Timeout[] = [];

afterEach(async () => {
  for (const timer of trickles.splice(0)) clearInterval(timer);
  await stopTestServers();
});

/** Sends `text` one byte every `everyMs` until it is all sent or the connection is gone. */
function trickle(connection: RawConnection, text: string, everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (at >= text.length || connection.socket.destroyed) return clearInterval(timer);
    connection.send(text[at++]!);
  }, everyMs);
  trickles.push(timer);
}

const seconds = (start: number) => (performance.now() - start) / 1000;

describe('slow clients are cut off (issue 7)', () => {
  it('answers 408 to a request whose headers are late and closes the connection', async () => {
    const server = await startTestServer({}, { headersTimeoutMs: 1000 });
    const connection = await openConnection(server.url);
    const start = performance.now();
    connection.send('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    trickle(connection, 'X-Slow-Header: 1234567890123456789012345678901234567890\r\n\r\n', 200);

    const res = await within(connection.response(), 10_000, 'late headers were never cut off');
    expect(res.status).toBe(408);
    await within(connection.closed, 5_000, 'the connection stayed open after the 408');
    // Node checks the deadline every quarter of it: cut between 1 and ~1.25 s, plus a loaded machine.
    expect(seconds(start)).toBeGreaterThanOrEqual(0.9);
    expect(seconds(start)).toBeLessThan(8);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('answers 408 REQUEST_TIMEOUT to an anonymous login whose body trickles in, and closes', async () => {
    const server = await startTestServer({}, { requestBodyTimeoutMs: 1000 });
    const connection = await openConnection(server.url);
    const start = performance.now();
    connection.send(
      requestHead('POST', '/api/v1/auth/login', {
        'Content-Type': 'application/json',
        'Content-Length': 60000,
      }),
    );
    trickle(connection, `{"email":"a@example.test","password":"${'p'.repeat(60000)}"}`, 100);

    const res = await within(connection.response(), 10_000, 'the slow body was never cut off');
    expect(res.status).toBe(408);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    await within(connection.closed, 5_000, 'the connection stayed open after the 408');
    expect(seconds(start)).toBeGreaterThanOrEqual(0.9);
    expect(seconds(start)).toBeLessThan(8);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('refuses an upload sent at 1 byte/s with 408, keeps nothing of it, while another client uploads', async () => {
    const server = await startTestServer(
      {},
      { uploadMinBytesPerSecond: 1024, uploadRateWindowMs: 1000, uploadIdleTimeoutMs: 60_000 },
    );
    const boundary = 'slow-upload';
    const connection = await openConnection(server.url);
    const start = performance.now();
    connection.send(
      requestHead('POST', '/api/v1/files', {
        Authorization: server.authHeaders.Authorization!,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': 100_000,
      }),
    );
    connection.send(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\n` +
        'Content-Type: text/plain\r\n\r\n',
    );
    trickle(connection, 'slow bytes '.repeat(1000), 1000);

    // Meanwhile another client's ordinary upload goes through.
    const bytes = makeLargeText(512 * 1024, 'fast');
    const form = new FormData();
    form.append('file', new File([bytes], 'fast.txt', { type: 'text/plain' }));
    const fast = await server.api('/api/v1/files', { method: 'POST', body: form });
    expect(fast.status).toBe(201);
    expect(connection.socket.destroyed).toBe(false);

    const res = await within(connection.response(), 15_000, 'the 1 byte/s upload was never cut off');
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({
      error: { code: 'REQUEST_TIMEOUT', details: { minBytesPerSecond: 1024, windowMs: 1000 } },
    });
    expect(seconds(start)).toBeGreaterThanOrEqual(0.9);
    expect(seconds(start)).toBeLessThan(10);
    await within(connection.closed, 10_000, 'the connection stayed open after the 408');

    const list = (await (await server.api('/api/v1/files')).json()) as { items: FileResource[] };
    expect(list.items.map((f) => [f.name, f.sha256])).toEqual([['fast.txt', sha256(bytes)]]);
    expect(await readdir(join(server.uploadFolder, '.tmp'))).toEqual([]);
  });
});
