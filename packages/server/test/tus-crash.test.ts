import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
import { authedFetch, waitForFinal } from './support/server.js';
import { startThrottleProxy, type ThrottleProxy } from './support/throttle-proxy.js';
import { randomContent, tusUpload } from './support/tus.js';

const MiB = 1024 * 1024;

let child: CliProcess | undefined;
let proxy: ThrottleProxy | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child) await killHard(child);
  await proxy?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  child = proxy = dataDir = undefined;
});

describe('resumable uploads (tus) across a server crash', () => {
  it('resumes a 64 MiB upload after SIGKILL of the server between two chunks, byte-exact and processed', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fileforge-tus-crash-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = serveEnv(port, dataDir, { MAX_FILE_SIZE: String(128 * MiB) });
    child = spawnCli(['serve'], env);
    await waitForHealthy(url, child);
    const auth = await loginAsAdmin(url);
    proxy = await startThrottleProxy(port, 256 * MiB);

    const content = randomContent(64 * MiB);
    let paused!: () => void;
    const pausedAfterChunk = new Promise<void>((resolve) => (paused = resolve));
    const { done, upload } = tusUpload({
      endpoint: `${proxy.url}/api/v1/uploads`,
      headers: auth,
      bytes: content.bytes,
      chunkSize: 4 * MiB,
      filename: 'crash.bin',
      onChunk(offset, u) {
        if (offset === 5 * 4 * MiB) {
          // Between two chunks: the client stops before sending the sixth.
          void u.abort().then(paused);
        }
      },
    });
    await pausedAfterChunk;
    await killHard(child);

    child = spawnCli(['serve'], env);
    await waitForHealthy(url, child);
    upload.start();
    const result = await done;
    expect(result.resumes).toBeGreaterThanOrEqual(1);
    expect(result.fileId).toBeTruthy();

    const api = authedFetch(url, auth);
    const record = await waitForFinal(api, result.fileId!);
    expect(record.status).toBe('processed');
    expect(record.size).toBe(64 * MiB);
    expect(record.sha256).toBe(content.sha256);
    const download = await api(`/api/v1/files/${result.fileId}/download`);
    const hash = createHash('sha256');
    for await (const chunk of download.body!) hash.update(chunk);
    expect(hash.digest('hex')).toBe(content.sha256);
    const list = (await (await api('/api/v1/files')).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  }, 120_000);

  it('makes the file once when the server died between the last byte and the record (the resuming HEAD completes it)', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fileforge-tus-crash-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = serveEnv(port, dataDir);
    // The staged file is linked into the blob store, then the process dies: no record yet.
    child = spawnCli(['serve'], { ...env, FILEFORGE_CRASH_AT: 'upload:after-link' });
    await waitForHealthy(url, child);
    const auth = await loginAsAdmin(url);
    const content = randomContent(3 * MiB + 7);
    const { done } = tusUpload({
      endpoint: `${url}/api/v1/uploads`,
      headers: auth,
      bytes: content.bytes,
      chunkSize: MiB,
      filename: 'last-byte.bin',
      retryDelays: [500, 1000, 2000, 3000, 5000, 5000, 5000, 5000],
    });
    const exited = await child.exited;
    expect(exited).toBe('SIGKILL');
    child = spawnCli(['serve'], env);
    await waitForHealthy(url, child);
    const result = await done;
    expect(result.fileId).toBeTruthy();

    const api = authedFetch(url, auth);
    const record = await waitForFinal(api, result.fileId!);
    expect(record.status).toBe('processed');
    expect(record.sha256).toBe(content.sha256);
    const list = (await (await api('/api/v1/files')).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
    const status = (await (await api(new URL(result.url, url).pathname)).json()) as { fileId: string };
    expect(status.fileId).toBe(result.fileId);
    // The staged bytes went with the completion: only the upload's state file is left.
    const staged = await readdir(join(dataDir, 'uploads', '.staging'));
    expect(staged.filter((name) => !name.endsWith('.json'))).toEqual([]);
  }, 120_000);
});
