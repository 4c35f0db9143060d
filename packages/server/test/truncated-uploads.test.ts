import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CliProcess,
  freePort,
  killHard,
  loginAsAdmin,
  serveEnv,
  spawnCli,
  waitForHealthy,
} from './support/child.js';
import { makeText, sha256 } from './support/fixtures.js';
import { openConnection, type RawConnection, requestHead } from './support/raw-http.js';
import { eventually, type FileResource, makeTempDir, stopTestServers } from './support/server.js';

const children: CliProcess[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await stopTestServers();
});

const BOUNDARY = 'issue7';
const PART_HEAD =
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="t.txt"\r\n` +
  'Content-Type: text/plain\r\n\r\n';

/** The body: 78 bytes, a file part whose closing delimiter never comes. */
function truncatedBody(): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="t"\r\n\r\n`;
  const body = Buffer.from(head + 'x'.repeat(78 - head.length));
  expect(body.length).toBe(78);
  return body;
}

/** A well-formed one-file body, to be sent with a Content-Length 30 bytes short of it. */
function wholeBody(): Buffer {
  return Buffer.from(`${PART_HEAD}${'y'.repeat(40)}\r\n--${BOUNDARY}--\r\n`);
}

/** A fresh `fileforge serve` in a child process, so a crash is a dead process, as in production. */
async function serveInChild() {
  const dataDir = await makeTempDir();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cli = spawnCli(['serve'], serveEnv(port, dataDir));
  children.push(cli);
  await waitForHealthy(url, cli);
  // As in the issue: a login access token, not an API key.
  const { Authorization: authorization } = await loginAsAdmin(url);
  return { url, cli, uploadFolder: join(dataDir, 'uploads'), authorization };
}

/** The next response on `connection`; if there is none, the failure shows the server's stderr. */
const answer = (connection: RawConnection, cli: CliProcess) =>
  connection.response().catch((error: Error) => {
    throw new Error(`${error.message}\nfileforge serve stderr:\n${cli.output().stderr}`);
  });

const uploadHead = (authorization: string, contentLength: number) =>
  requestHead('POST', '/api/v1/files', {
    Authorization: authorization,
    'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
    'Content-Length': contentLength,
  });

describe('uploads that break the multipart protocol (issue 7)', () => {
  it('answers 400 to truncated bodies and short Content-Lengths, keeps serving, stores nothing', {
    timeout: 120_000,
  }, async () => {
    const { url, cli, uploadFolder, authorization } = await serveInChild();

    for (let round = 0; round < 5; round++) {
      // 78 bytes, no closing delimiter, Content-Length exact: the body ends inside the file part.
      const truncated = await openConnection(url);
      truncated.send(uploadHead(authorization, 78));
      truncated.send(truncatedBody());
      const refused = await answer(truncated, cli);
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
      truncated.socket.destroy();

      // Content-Length 30 bytes short: the body is cut inside the part, and the 30 bytes left
      // over arrive where the next request should start.
      const body = wholeBody();
      const short = await openConnection(url);
      short.send(uploadHead(authorization, body.length - 30));
      short.send(body);
      // Whichever the server notices first (the cut body, or leftover bytes that are no
      // request), the client is told 400 and the connection is closed.
      expect((await answer(short, cli)).status).toBe(400);
      await short.closed;
      expect(short.pending().toString('latin1')).not.toMatch(/^HTTP\/1\.1 [^4]/);
    }

    expect(cli.child.exitCode).toBeNull();
    expect(cli.child.signalCode).toBeNull();
    expect(cli.output().stderr).not.toMatch(/uncaught|unhandled|terminated early/i);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    // Nothing of the broken uploads was kept: no record, no blob, no temp file.
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { Authorization: authorization } });
    const list = (await (await api('/api/v1/files')).json()) as { items: FileResource[] };
    expect(list.items).toEqual([]);
    // A 400 sent by the HTTP parser (bytes past a short Content-Length) can reach the client
    // while the cut upload's handler still unwinds: its temp file goes then, never stays.
    await eventually(
      async () => ((await readdir(join(uploadFolder, '.tmp'))).length === 0 ? true : undefined),
      'the temp files of the cut uploads are removed',
      { timeoutMs: 10_000 },
    );

    // And a proper upload still works.
    const form = new FormData();
    form.append('file', new File([makeText()], 'after.txt', { type: 'text/plain' }));
    const res = await api('/api/v1/files', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const { files } = (await res.json()) as { files: FileResource[] };
    expect(files[0]).toMatchObject({ name: 'after.txt', sha256: sha256(makeText()) });
    const after = (await (await api('/api/v1/files')).json()) as { items: FileResource[] };
    expect(after.items.map((f) => f.name)).toEqual(['after.txt']);
  });
});
