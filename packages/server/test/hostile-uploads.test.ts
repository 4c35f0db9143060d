import { overlapping, ratioBomb, symlink, zipSlip } from '@fileforge/test-fixtures/archives';
import { headerOnlyPng, pixelFloodPng } from '@fileforge/test-fixtures/images';
import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from './support/fixtures.js';
import { startTestServer, stopTestServers, type TestServer, waitForFinal } from './support/server.js';

afterEach(stopTestServers);

async function upload(
  server: TestServer,
  name: string,
  bytes: Uint8Array,
  type = 'application/octet-stream',
) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await server.api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status, `upload of ${name}`).toBe(201);
  const body = (await res.json()) as { files: Array<{ id: string }> };
  return body.files[0]!.id;
}

const derivativesOf = async (server: TestServer, id: string) =>
  ((await (await server.api(`/api/v1/files/${id}/derivatives`)).json()) as { items: unknown[] }).items;

describe('hostile uploads over HTTP (issue 4)', () => {
  it('ends each hostile file rejected with its reason, derives nothing, and keeps serving', async () => {
    const server = await startTestServer();
    const png = makePng(64, 48);
    const hostile: Array<[string, Uint8Array, string]> = [
      ['flood.png', pixelFloodPng(), 'image_too_many_pixels'],
      ['giant-header.png', headerOnlyPng(65_535, 65_535, true), 'image_too_many_pixels'],
      ['truncated.png', png.subarray(0, Math.floor(png.length * 0.6)), 'image_corrupt'],
      ['overlap.zip', overlapping(), 'archive_overlap'],
      ['ratio.zip', ratioBomb(), 'archive_limits'],
      ['slip.zip', zipSlip(), 'archive_unsafe_path'],
    ];
    const ids = [];
    for (const [name, bytes] of hostile) ids.push(await upload(server, name, bytes));
    const playlist = await upload(
      server,
      'evil.mp4',
      Buffer.from('#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'),
      'video/mp4',
    );
    const valid = await upload(server, 'ok.png', png, 'image/png');
    // Issue 9: nothing is extracted, so a link to /etc/passwd is listed and flagged, not refused.
    const linked = await upload(server, 'link.zip', symlink());

    for (const [i, [name, , reason]] of hostile.entries()) {
      const record = await waitForFinal(server.api, ids[i]!);
      expect(record.status, name).toBe('rejected');
      expect(record.error, name).toMatchObject({ code: 'CONTENT_REJECTED', details: { reason } });
      expect(await derivativesOf(server, ids[i]!), name).toEqual([]);
    }

    // A playlist named .mp4 is text by its bytes: no media processor ever opens it.
    const text = await waitForFinal(server.api, playlist);
    expect(text).toMatchObject({ mime: 'text/plain', typeMismatch: true });
    expect(text.metadata.media).toBeUndefined();
    expect(await derivativesOf(server, playlist)).toEqual([]);

    // The server is healthy and later files still flow.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const link = await waitForFinal(server.api, linked);
    expect(link.status).toBe('processed');
    expect(link.metadata.archive).toMatchObject({
      unsafeLinks: 1,
      entries: [{ name: 'link', link: { type: 'symlink', target: '/etc/passwd', unsafe: 'absolute' } }],
    });
    const ok = await waitForFinal(server.api, valid);
    expect(ok.status).toBe('processed');
    expect(await derivativesOf(server, valid)).toEqual([
      expect.objectContaining({ name: 'thumbnail-256.webp' }),
    ]);

    // A rejected original stays inert: attachment, nosniff and a sandbox CSP, even when asked inline.
    const download = await server.api(`/api/v1/files/${ids[0]}/download?inline=1`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toMatch(/sandbox/);
    await download.arrayBuffer();
  }, 120_000);
});
