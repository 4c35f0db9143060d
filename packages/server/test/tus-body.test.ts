import { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { webStreamOf } from '../src/http/web-stream.js';
import { startTestServer, stopTestServers, waitForFinal } from './support/server.js';
import { createUpload, patch } from './support/tus-requests.js';

// The real adapter, observed: which stream the tus route hands on as the PATCH body.
vi.mock('../src/http/web-stream.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/http/web-stream.js')>();
  return { ...actual, webStreamOf: vi.fn(actual.webStreamOf) };
});

afterEach(stopTestServers);

describe('tus request body', () => {
  it('reads a PATCH body straight from the request, without the copying web adapter (issue 14)', async () => {
    const s = await startTestServer();
    const bytes = Buffer.from('resumable bytes, read once. '.repeat(4000));
    const path = await createUpload(s, bytes.length);
    vi.mocked(webStreamOf).mockClear();
    const res = await patch(s, path, 0, bytes);
    expect(res.status).toBe(204);
    // Node's Readable.toWeb() (hono's body) copies every chunk; the route wraps the request itself.
    expect(webStreamOf).toHaveBeenCalledTimes(1);
    expect(vi.mocked(webStreamOf).mock.calls[0]?.[0]).toBeInstanceOf(IncomingMessage);
    const record = await waitForFinal(s.api, res.headers.get('fileforge-file-id')!);
    expect(record.size).toBe(bytes.length);
  });
});
