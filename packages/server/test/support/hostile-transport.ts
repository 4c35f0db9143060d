/**
 * Catalogue rows for section A (transport, size, slow clients; A6 arrives with resumable
 * uploads) and the connection cap of A4.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { maxRequestBytes } from '../../src/upload/limits.js';
import { type HostileCase, LIMIT, MAIN_SERVER } from './hostile-case.js';
import {
  type CaseOutcome,
  codeOf,
  filePart,
  holdConnections,
  multipartBody,
  outcomeOf,
  sameOutcome,
  sendRaw,
  uploadRaw,
} from './hostile-requests.js';
import { openConnection, requestHead } from './raw-http.js';
import { multipartFrame, openUpload, readResponse, within } from './raw-upload.js';
import type { TestServer } from './server.js';

/** Streams a body of `bytes` random bytes after `frame.head` until the server answers. */
async function chunkedUpload(server: TestServer, bytes: number): Promise<CaseOutcome> {
  const frame = multipartFrame('stream.bin');
  const upload = openUpload(server.url, {
    ...server.authHeaders,
    'Content-Type': frame.contentType,
    'Transfer-Encoding': 'chunked',
  });
  await upload.write(frame.head);
  for (let sent = 0; sent < bytes && !upload.answered(); sent += 64 * 1024) {
    if (!(await upload.write(randomBytes(64 * 1024)))) break;
  }
  if (!upload.answered()) upload.req.end(frame.tail);
  const res = await readResponse(await within(upload.response, 20_000, 'no answer to the chunked upload'));
  upload.req.destroy();
  return { status: res.status, code: codeOf(res.text) };
}

export const TRANSPORT_CASES: HostileCase[] = [
  {
    id: 'A1',
    attack: 'honest Content-Length over the limit: refused before a body byte is read',
    expected: { status: 413, code: 'FILE_TOO_LARGE' },
    seeAlso: 'upload-limits.test.ts',
    async run(server) {
      const frame = multipartFrame('too-big.bin');
      const upload = openUpload(server.url, {
        ...server.authHeaders,
        'Content-Type': frame.contentType,
        'Content-Length': String(maxRequestBytes({ maxFileSize: LIMIT, maxFiles: 1 }) + 1),
      });
      // Nothing of the body is sent: an answer proves the server judged the header alone.
      const res = await readResponse(await within(upload.response, 10_000, 'waited for the body'));
      upload.req.destroy();
      return { status: res.status, code: codeOf(res.text) };
    },
  },
  {
    id: 'A2',
    attack: 'chunked body (no length) running past the limit',
    expected: { status: 413, code: 'FILE_TOO_LARGE' },
    seeAlso: 'upload-limits.test.ts (bounded drain after the 413)',
    run: (server) => chunkedUpload(server, LIMIT + 256 * 1024),
  },
  {
    id: 'A2',
    attack: 'Content-Length shorter than the body sent',
    expected: { status: 400, code: 'BAD_REQUEST' },
    seeAlso: 'truncated-uploads.test.ts',
    async run(server) {
      const { contentType, body } = multipartBody([filePart('filename="short.txt"', 'y'.repeat(40))]);
      const connection = await openConnection(server.url);
      try {
        const head = {
          ...server.authHeaders,
          'Content-Type': contentType,
          'Content-Length': body.length - 30,
        };
        connection.send(requestHead('POST', '/api/v1/files', head));
        connection.send(body.subarray(0, body.length - 30));
        // The declared bytes end inside the part: that is the answer, before the rest arrives.
        const res = await within(connection.response(), 10_000, 'no answer to the cut body');
        connection.send(body.subarray(body.length - 30));
        return outcomeOf(res);
      } finally {
        connection.socket.destroy();
      }
    },
  },
  {
    id: 'A2',
    attack: 'Content-Length and Transfer-Encoding together (request smuggling)',
    // llhttp refuses the framing itself: Node answers a bare 400 and closes.
    expected: { status: 400, code: null },
    async run(server) {
      const { contentType, body } = multipartBody([filePart('filename="smuggled.txt"')]);
      const chunked = `${body.length.toString(16)}\r\n${body.toString('latin1')}\r\n0\r\n\r\n`;
      const res = await sendRaw(server, {
        method: 'POST',
        path: '/api/v1/files',
        headers: { 'Content-Type': contentType, 'Content-Length': 10, 'Transfer-Encoding': 'chunked' },
        body: Buffer.from(chunked, 'latin1'),
      });
      return { status: res.status, code: codeOf(res.body) };
    },
  },
  {
    id: 'A2',
    attack: 'chunked 4 MiB JSON body to a route that buffers small bodies only',
    expected: { status: 413, code: 'REQUEST_TOO_LARGE' },
    seeAlso: 'robustness.test.ts (Content-Length variant)',
    async run(server) {
      const connection = await openConnection(server.url);
      connection.send(
        requestHead('POST', '/api/v1/users', {
          ...server.authHeaders,
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
        }),
      );
      const chunk = `{"email":"${'a'.repeat(64 * 1024)}`;
      const frame = `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`;
      for (let i = 0; i < 64 && !connection.socket.destroyed && connection.pending().length === 0; i++) {
        connection.send(frame);
        await new Promise((r) => setImmediate(r));
      }
      const res = await within(connection.response(), 10_000, 'no answer to the chunked JSON body');
      connection.socket.destroy();
      return { status: res.status, code: codeOf(res.body) };
    },
  },
  {
    id: 'A3',
    attack: '10,000 form fields',
    expected: { status: 413, code: 'MULTIPART_LIMIT' },
    seeAlso: 'multipart-fuzz.test.ts',
    run: (server) =>
      uploadRaw(server, [
        ...Array.from({ length: 10_000 }, (_, i) => ({
          headers: [`Content-Disposition: form-data; name="f${i}"`],
          body: 'x',
        })),
        filePart('filename="after-fields.txt"'),
      ]),
  },
  {
    id: 'A3',
    attack: 'a 200 KiB text field beside a file (busboy keeps 64 KiB of it)',
    expected: { status: 413, code: 'MULTIPART_LIMIT' },
    async run(server) {
      const outcome = await uploadRaw(server, [
        { headers: ['Content-Disposition: form-data; name="note"'], body: 'n'.repeat(200 * 1024) },
        filePart('filename="after-field.txt"'),
      ]);
      expect(outcome.files).toEqual([]);
      return outcome;
    },
  },
  {
    id: 'A3',
    attack: 'a file part with an 80 KiB header',
    // busboy keeps 80 KiB of part headers and drops the rest silently; a guard beside it refuses the block (upload/part-headers.ts).
    expected: { status: 413, code: 'MULTIPART_LIMIT' },
    run: (server) =>
      uploadRaw(server, [
        {
          headers: [
            'Content-Disposition: form-data; name="file"; filename="huge-header.txt"',
            `X-Padding: ${'p'.repeat(80 * 1024)}`,
          ],
          body: 'hostile\n',
        },
      ]),
  },
  {
    id: 'A3',
    attack: 'two file parts where one is allowed: the second is refused, only the first may stay',
    expected: { status: 413, code: 'MULTIPART_LIMIT' },
    async run(server) {
      const outcome = await uploadRaw(server, [
        filePart('filename="first.txt"', 'first\n'),
        filePart('filename="second.txt"', 'second\n'),
      ]);
      expect(outcome.files.map((f) => f.name)).not.toContain('second.txt');
      return outcome;
    },
  },
  {
    id: 'A3',
    attack: 'multipart without a boundary, and a body without a file part',
    expected: { status: 400, code: 'BAD_REQUEST' },
    async run(server) {
      const noBoundary = await sendRaw(server, {
        method: 'POST',
        path: '/api/v1/files',
        headers: { 'Content-Type': 'multipart/form-data', 'Content-Length': 5 },
        body: 'hello',
      });
      const noFile = await uploadRaw(server, [
        { headers: ['Content-Disposition: form-data; name="a"'], body: 'b' },
      ]);
      return sameOutcome([
        ['no boundary', outcomeOf(noBoundary)],
        ['no file part', noFile],
      ]);
    },
  },
  {
    id: 'A4',
    attack: 'slowloris: headers trickled past the header deadline',
    // Node's own deadline: a bare 408 and a closed connection.
    expected: { status: 408, code: null },
    seeAlso: 'slow-clients.test.ts (timing bounds)',
    async run(server) {
      const connection = await openConnection(server.url);
      connection.send('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const timer = setInterval(() => connection.send('X-Slow: 1\r\n'), 200);
      try {
        const res = await within(connection.response(), 10_000, 'late headers were never cut off');
        await within(connection.closed, 5_000, 'the connection stayed open after the 408');
        return { status: res.status, code: codeOf(res.body) };
      } finally {
        clearInterval(timer);
        connection.socket.destroy();
      }
    },
  },
  {
    id: 'A4',
    attack: 'slow body: an upload that stalls after its first bytes',
    expected: { status: 408, code: 'REQUEST_TIMEOUT' },
    seeAlso: 'slow-clients.test.ts (minimum rate)',
    async run(server) {
      const frame = multipartFrame('stalled.bin');
      const upload = openUpload(server.url, {
        ...server.authHeaders,
        'Content-Type': frame.contentType,
        'Content-Length': String(frame.head.length + 64 * 1024 + frame.tail.length),
      });
      await upload.write(frame.head);
      await upload.write(randomBytes(1024));
      const idle = MAIN_SERVER.uploadIdleTimeoutMs!;
      const res = await readResponse(
        await within(upload.response, idle + 10_000, 'the stall was never cut off'),
      );
      upload.req.destroy();
      return { status: res.status, code: codeOf(res.text) };
    },
  },
  {
    id: 'A4',
    attack: 'header flood: one 20 KiB header, then 5,000 small ones',
    // Over Node's 16 KiB header limit: a bare 431 from the parser.
    expected: { status: 431, code: null },
    async run(server) {
      const big = await sendRaw(server, {
        path: '/api/v1/files',
        headers: { 'X-Big': 'b'.repeat(20 * 1024) },
      });
      const many: Record<string, string> = {};
      for (let i = 0; i < 5000; i++) many[`X-H${i}`] = 'v';
      const flood = await sendRaw(server, { path: '/api/v1/files', headers: many });
      return sameOutcome([
        ['one big header', { status: big.status, code: codeOf(big.body) }],
        ['5,000 headers', { status: flood.status, code: codeOf(flood.body) }],
      ]);
    },
  },
  {
    id: 'A4',
    attack: 'connection flood from one address past the per-client cap; other addresses unaffected',
    expected: { status: 429, code: 'TOO_MANY_CONNECTIONS' },
    seeAlso: 'connection-cap.test.ts',
    async run(server) {
      const held = await holdConnections(server, '127.0.0.6', MAIN_SERVER.maxConnectionsPerClient!);
      try {
        const refused = await sendRaw(server, { path: '/health', localAddress: '127.0.0.6', auth: false });
        expect(refused.headers['retry-after']).toMatch(/^\d+$/);
        const other = await sendRaw(server, { path: '/health', localAddress: '127.0.0.7', auth: false });
        expect(other.status, 'another address').toBe(200);
        return { status: refused.status, code: codeOf(refused.body) };
      } finally {
        for (const connection of held) connection.socket.destroy();
      }
    },
  },
  {
    id: 'A5',
    attack: 'client resets the connection mid-upload',
    expected: { status: 'closed', code: null },
    seeAlso: 'upload-limits.test.ts, multipart-fuzz.test.ts (abandoned bodies)',
    async run(server) {
      const frame = multipartFrame('reset.bin');
      const upload = openUpload(server.url, {
        ...server.authHeaders,
        'Content-Type': frame.contentType,
        'Content-Length': String(frame.head.length + 512 * 1024 + frame.tail.length),
      });
      await upload.write(frame.head);
      await upload.write(randomBytes(100 * 1024));
      await new Promise((r) => setTimeout(r, 100));
      const answered = upload.answered();
      upload.req.socket?.resetAndDestroy();
      upload.req.destroy();
      return { status: answered ? -1 : 'closed', code: null };
    },
  },
  {
    id: 'A7',
    attack: 'encoded path traversal and NUL in resource ids (GET, HEAD, DELETE)',
    expected: { status: 404, code: 'NOT_FOUND' },
    seeAlso: 'files-api.test.ts',
    async run(server) {
      // Beside the storage root (`<dataDir>/uploads`), where `..` from a blob path would land.
      const victim = join(server.dataDir, 'victim');
      await writeFile(victim, 'keep me');
      const outcomes: Array<[string, CaseOutcome]> = [];
      for (const id of [
        '..%2Fvictim',
        '..%5Cvictim',
        '..%2F..%2Fvictim',
        'victim%00',
        '%252e%252e%252fvictim',
      ]) {
        for (const [method, suffix] of [
          ['GET', ''],
          ['GET', '/download'],
          ['HEAD', '/download'],
          ['DELETE', ''],
        ] as const) {
          const res = await server.api(`/api/v1/files/${id}${suffix}`, { method });
          const text = await res.text();
          expect(text).not.toContain('keep me');
          // HEAD has no body to carry the code.
          const code = method === 'HEAD' && res.status === 404 ? 'NOT_FOUND' : codeOf(text);
          outcomes.push([`${method} ${id}${suffix}`, { status: res.status, code }]);
        }
      }
      expect(await readFile(victim, 'utf8')).toBe('keep me');
      return sameOutcome(outcomes);
    },
  },
];
