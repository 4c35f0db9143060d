import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers, type TestServer } from './support/server.js';
import { createUpload, TUS } from './support/tus-requests.js';

type HeaderValue = string | string[];

let s: TestServer;
let upload: string;
beforeAll(async () => {
  s = await startTestServer({ maxFileSize: 1024 * 1024 });
  upload = await createUpload(s, 1000);
});
afterAll(stopTestServers);

/** One raw request (duplicate headers as arrays); resolves with the status and body. */
function send(method: string, path: string, headers: Record<string, HeaderValue>, body?: Buffer) {
  return new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
    const req = request(
      `${s.url}${path}`,
      {
        method,
        headers: { ...s.authHeaders, ...headers, ...(body ? { 'Content-Length': body.length } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, type: res.headers['content-type'] ?? '' }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const garbageIntegers: HeaderValue[] = [
  'abc',
  '-1',
  '1e3',
  '0x10',
  '1.5',
  '',
  '+5',
  '007',
  '99999999999999999999999',
  '9007199254740993',
  '9'.repeat(4000),
  ['5', '5'],
  ['5', '6'],
];
const garbageMetadata: HeaderValue[] = [
  'filename !!!notbase64',
  'a YQ==,a Yg==',
  ',,,',
  ' ',
  'k dGVzdA==,k2 ***',
  `k ${'A'.repeat(6000)}`,
  'fïlename YQ==',
  ['filename YQ==', 'filename Yg=='],
];
const garbageChecksums: HeaderValue[] = [
  'sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk=',
  'sha256',
  'sha256 !!!',
  `sha256 ${Buffer.alloc(31).toString('base64')}`,
  `sha256  ${Buffer.alloc(32).toString('base64')}`,
  'md5 1B2M2Y8AsgTpgAmY7PhCfg==',
  [`sha256 ${Buffer.alloc(32).toString('base64')}`, `sha256 ${Buffer.alloc(32).toString('base64')}`],
];

function expectCleanRefusal(res: { status: number; body: string; type: string }, label: string) {
  expect(res.status, `${label}: ${res.body}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label}: ${res.body}`).toBeLessThan(500);
  // Node itself refuses oversized header blocks (431) before the app sees them.
  if (res.status !== 431) {
    expect(res.type, label).toContain('application/json');
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code, label).toMatch(/^[A-Z_]+$/);
  }
}

describe('tus header parsing against hostile input', () => {
  it('refuses garbage Upload-Length at creation with a clean 4xx', async () => {
    for (const value of garbageIntegers) {
      const res = await send('POST', '/api/v1/uploads', { ...TUS, 'Upload-Length': value });
      expectCleanRefusal(res, `Upload-Length ${JSON.stringify(value).slice(0, 60)}`);
    }
    // Above MAX_FILE_SIZE but well-formed: 413 with the multipart upload's stable code.
    const big = await send('POST', '/api/v1/uploads', { ...TUS, 'Upload-Length': String(2 ** 40) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('FILE_TOO_LARGE');
  });

  it('refuses garbage Upload-Metadata with a clean 4xx', async () => {
    for (const value of garbageMetadata) {
      const res = await send('POST', '/api/v1/uploads', {
        ...TUS,
        'Upload-Length': '10',
        'Upload-Metadata': value,
      });
      expectCleanRefusal(res, `Upload-Metadata ${JSON.stringify(value).slice(0, 60)}`);
    }
  });

  it('refuses garbage Upload-Offset and Upload-Checksum on PATCH with a clean 4xx, the offset unchanged', async () => {
    const octets = { ...TUS, 'Content-Type': 'application/offset+octet-stream' };
    for (const value of [...garbageIntegers, '5', '1001']) {
      const res = await send('PATCH', upload, { ...octets, 'Upload-Offset': value }, Buffer.from('abc'));
      expectCleanRefusal(res, `Upload-Offset ${JSON.stringify(value).slice(0, 60)}`);
    }
    for (const value of garbageChecksums) {
      const res = await send(
        'PATCH',
        upload,
        { ...octets, 'Upload-Offset': '0', 'Upload-Checksum': value },
        Buffer.from('abc'),
      );
      expectCleanRefusal(res, `Upload-Checksum ${JSON.stringify(value).slice(0, 60)}`);
    }
    const malformed: Record<string, HeaderValue>[] = [
      { ...TUS, 'Upload-Offset': '0' },
      { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'text/plain' },
      { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': '0' },
      { ...octets, 'Tus-Resumable': '0.2.2', 'Upload-Offset': '0' },
      { ...octets, 'Tus-Resumable': ['1.0.0', '1.0.0'], 'Upload-Offset': '0' },
      { ...octets },
    ];
    for (const headers of malformed) {
      const res = await send('PATCH', upload, headers, Buffer.from('abc'));
      expectCleanRefusal(res, `PATCH ${JSON.stringify(headers)}`);
    }
    const head = await send('HEAD', upload, TUS);
    expect(head.status).toBe(200);
    const status = JSON.parse((await send('GET', upload, {})).body) as { offset: number };
    expect(status.offset).toBe(0);
  });

  it('survives random header values (seeded) and still takes a normal upload afterwards', async () => {
    let seed = 0x2f6b1a3d;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = '0123456789-+. ,=/abcXYZé\t';
    const junk = () =>
      Array.from(
        { length: Math.floor(random() * 40) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
    const names = [
      'Upload-Length',
      'Upload-Offset',
      'Upload-Metadata',
      'Upload-Checksum',
      'Upload-Defer-Length',
      'Upload-Concat',
    ];
    for (let i = 0; i < 150; i++) {
      const headers: Record<string, string> = { ...TUS };
      for (const name of names) if (random() < 0.5) headers[name] = junk();
      const patching = random() < 0.5;
      const res = await send(
        patching ? 'PATCH' : 'POST',
        patching ? upload : '/api/v1/uploads',
        patching ? { ...headers, 'Content-Type': 'application/offset+octet-stream' } : headers,
        Buffer.from('xyz'),
      );
      expect(res.status, `${i}: ${JSON.stringify(headers)} → ${res.body}`).toBeLessThan(500);
    }
    expect((await send('GET', '/health', {})).status).toBe(200);
    const fresh = await createUpload(s, 3);
    const done = await send(
      'PATCH',
      fresh,
      { ...TUS, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': '0' },
      Buffer.from('xyz'),
    );
    expect(done.status).toBe(204);
  });
});
