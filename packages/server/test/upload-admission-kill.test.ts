/**
 * Quota reservations survive nothing they should not (issue 14): a `fileforge serve` child
 * holding a reservation for an upload in flight is SIGKILLed, then started again on the same
 * data directory: the tenant's usage is what it was before the upload began, nothing stays
 * reserved, and the quota still admits what fits.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, spawnBundledCli } from './support/bundled-cli.js';
import {
  type CliProcess,
  freePort,
  killHard,
  loginAsAdmin,
  serveEnv,
  waitForHealthy,
} from './support/child.js';
import { multipartFrame, openUpload } from './support/raw-upload.js';
import { authedFetch, eventually, makeTempDir, stopTestServers } from './support/server.js';

const KiB = 1024;

let bundle: Awaited<ReturnType<typeof bundleCli>>;
beforeAll(async () => {
  bundle = await bundleCli();
});
afterAll(() => bundle?.remove());

const children: CliProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await stopTestServers();
});

async function serve(dataDir: string, port: number) {
  const child = spawnBundledCli(bundle.path, ['serve'], serveEnv(port, dataDir));
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(url, child);
  const auth = await loginAsAdmin(url);
  return { child, url, auth, api: authedFetch(url, auth) };
}

describe('Quota after a SIGKILLed server (issue 14)', () => {
  it('a reservation held by a killed server does not count after the restart', async () => {
    const dataDir = await makeTempDir('fileforge-quota-kill-');
    const port = await freePort();
    const first = await serve(dataDir, port);
    const quota = await first.api('/api/v1/tenants/current/quota', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ maxBytes: 1024 * KiB, maxFiles: null }),
    });
    expect(quota.status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([randomBytes(400 * KiB)]), 'kept.bin');
    expect((await first.api('/api/v1/files', { method: 'POST', body: form })).status).toBe(201);
    const usage = async (api: typeof first.api) =>
      (await (await api('/api/v1/tenants/current/usage')).json()) as Record<string, unknown>;
    const before = await usage(first.api);
    expect(before).toMatchObject({ bytes: 400 * KiB, files: 1, reservedBytes: 0 });

    // An upload of 600 KiB is on its way: it holds the rest of the quota...
    const frame = multipartFrame('cut.bin');
    const open = openUpload(first.url, {
      ...first.auth,
      'Content-Type': frame.contentType,
      'Content-Length': String(frame.head.length + 600 * KiB + frame.tail.length),
    });
    open.response.catch(() => {});
    open.req.on('error', () => {});
    await open.write(frame.head);
    await open.write(randomBytes(64 * KiB));
    await eventually(
      async () => ((await usage(first.api)).reservedBytes as number) >= 600 * KiB || undefined,
      'the upload holds its reservation',
    );
    // ...when the server is killed.
    await killHard(first.child);
    open.req.destroy();

    const second = await serve(dataDir, port);
    expect(await usage(second.api)).toEqual(before);
    // The 600 KiB fit again: the dead upload's reservation no longer stands in the way.
    const again = new FormData();
    again.append('file', new Blob([randomBytes(600 * KiB)]), 'fits.bin');
    expect((await second.api('/api/v1/files', { method: 'POST', body: again })).status).toBe(201);
  });
});
