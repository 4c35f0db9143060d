/**
 * An answer whose body never finishes (a stall past the caller's timeout, a dropped
 * connection) fails with the client's own codes, not as unreadable JSON or a runtime error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, FileForgeClientError } from '../src/index.js';

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.on('error', () => {});
    const json = req.url?.includes('/download') ? 'application/octet-stream' : 'application/json';
    res.writeHead(200, { 'content-type': json, 'content-length': '1000' });
    res.write('{"id": "01m8');
    // The rest never comes: a stall, or the connection dropped.
    if (req.url?.includes('drop')) setTimeout(() => res.destroy(), 50);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = () => createClient({ baseUrl, apiKey: 'ff_test_key', retry: false });
const codeOf = (error: unknown) => (error instanceof FileForgeClientError ? error.code : String(error));

describe('a body cut off half way', () => {
  it('is TIMEOUT when the caller’s timeout fires while the JSON body is read', async () => {
    const error = await client()
      .files.get('stall', { signal: AbortSignal.timeout(300) })
      .catch((e: unknown) => e);
    expect(codeOf(error)).toBe('TIMEOUT');
  });

  it('is NETWORK_ERROR when the connection drops in the middle of the JSON body', async () => {
    const error = await client()
      .files.get('drop')
      .catch((e: unknown) => e);
    expect(codeOf(error)).toBe('NETWORK_ERROR');
  });

  it('is NETWORK_ERROR for a download stream cut off half way', async () => {
    const stream = await client().files.download('drop');
    const error = await new Response(stream).arrayBuffer().catch((e: unknown) => e);
    expect(codeOf(error)).toBe('NETWORK_ERROR');
  });

  it('is TIMEOUT when waitFor’s timeout signal fires between polls', async () => {
    const waiting = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', status: 'pending' }));
    });
    await new Promise<void>((resolve) => waiting.listen(0, '127.0.0.1', resolve));
    try {
      const c = createClient({
        baseUrl: `http://127.0.0.1:${(waiting.address() as AddressInfo).port}`,
        apiKey: 'ff_test_key',
      });
      const error = await c.files
        .waitFor('x', { intervalMs: 5_000, signal: AbortSignal.timeout(300) })
        .catch((e: unknown) => e);
      expect(codeOf(error)).toBe('TIMEOUT');
    } finally {
      waiting.closeAllConnections();
      await new Promise((resolve) => waiting.close(resolve));
    }
  });
});
