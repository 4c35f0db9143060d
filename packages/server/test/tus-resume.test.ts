import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openConnection, requestHead } from './support/raw-http.js';
import { within } from './support/raw-upload.js';
import { startTestServer, stopTestServers, waitForFinal } from './support/server.js';
import { startThrottleProxy, type ThrottleProxy } from './support/throttle-proxy.js';
import { randomContent, tusUpload } from './support/tus.js';
import { createUpload, headOffset, OCTETS, patch, TUS } from './support/tus-requests.js';

const MiB = 1024 * 1024;

let proxy: ThrottleProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await stopTestServers();
});

describe('resumable uploads (tus) from a client that stops sending', () => {
  it('answers a PATCH that stalls with 408 REQUEST_TIMEOUT, closes, and keeps its bytes to resume from', async () => {
    const s = await startTestServer({}, { uploadIdleTimeoutMs: 1000 });
    const path = await createUpload(s, 100_000);
    const connection = await openConnection(s.url);
    const started = performance.now();
    connection.send(
      requestHead('PATCH', path, {
        Authorization: s.authHeaders.Authorization!,
        ...TUS,
        ...OCTETS,
        'Upload-Offset': 0,
        'Content-Length': 100_000,
      }),
    );
    const sent = randomBytes(1000).fill(0, 0, 8); // no magic number by chance (an MP3 frame sync…)
    connection.send(sent);
    const res = await within(connection.response(), 10_000, 'the stalled PATCH was never answered');
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    await within(connection.closed, 10_000, 'the connection stayed open after the 408');
    expect(await headOffset(s, path)).toBe(1000);
    const rest = randomBytes(99_000);
    const resumed = await patch(s, path, 1000, rest);
    expect(resumed.status).toBe(204);
    const fileId = resumed.headers.get('fileforge-file-id')!;
    const stored = (await (await s.api(`/api/v1/files/${fileId}`)).json()) as { sha256: string };
    expect(stored.sha256).toBe(
      createHash('sha256')
        .update(Buffer.concat([sent, rest]))
        .digest('hex'),
    );
  });
});

describe('resumable uploads (tus) over a connection that drops', () => {
  it('resumes a 64 MiB upload cut mid-chunk and ends with the exact bytes, processed', async () => {
    const s = await startTestServer();
    proxy = await startThrottleProxy(new URL(s.url).port as unknown as number, 128 * MiB);
    const content = randomContent(64 * MiB);
    const cut = proxy.cutAt(30 * MiB + 12345);
    const { done } = tusUpload({
      endpoint: `${proxy.url}/api/v1/uploads`,
      headers: s.authHeaders,
      bytes: content.bytes,
      chunkSize: 4 * MiB,
      filename: 'big.bin',
    });
    await cut;
    const result = await done;
    expect(result.resumes).toBeGreaterThanOrEqual(1);
    expect(result.fileId).toBeTruthy();

    const status = (await (await s.api(new URL(result.url).pathname)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      offset: 64 * MiB,
      length: 64 * MiB,
      fileId: result.fileId,
      expiresAt: null,
    });

    const record = await waitForFinal(s.api, result.fileId!);
    expect(record.status).toBe('processed');
    expect(record.size).toBe(64 * MiB);
    expect(record.sha256).toBe(content.sha256);
    expect(record.name).toBe('big.bin');
    const download = await s.api(`/api/v1/files/${result.fileId}/download`);
    expect(download.status).toBe(200);
    const hash = createHash('sha256');
    for await (const chunk of download.body!) hash.update(chunk);
    expect(hash.digest('hex')).toBe(content.sha256);
  }, 60_000);
});
