import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli } from './support/bundled-cli.js';
import { startTestServer, stopTestServers, waitForFinal } from './support/server.js';

let bundle: Awaited<ReturnType<typeof bundleCli>>;
beforeAll(async () => {
  bundle = await bundleCli();
});
afterAll(() => bundle?.remove());
afterEach(stopTestServers);

describe('fileforge reprocess through a running server', () => {
  it('queues every file again (--json), and reports a file the server does not know with exit 1', {
    timeout: 120_000,
  }, async () => {
    const s = await startTestServer();
    const ids: string[] = [];
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      const form = new FormData();
      form.append('file', new Blob([`${name}\n`]), name);
      const res = await s.api('/api/v1/files', { method: 'POST', body: form });
      ids.push(((await res.json()) as { files: Array<{ id: string }> }).files[0]!.id);
    }
    for (const id of ids) await waitForFinal(s.api, id);
    // What the route asked of the forge: one reprocess per file the CLI queued.
    const reprocessed: string[] = [];
    const reprocess = s.forge.files.reprocess.bind(s.forge.files);
    s.forge.files.reprocess = (id, options) => {
      reprocessed.push(id);
      return reprocess(id, options);
    };
    const key = s.apiKey;

    const all = await runBundledCli(bundle.path, [
      'reprocess',
      '--all',
      '--json',
      '--url',
      s.url,
      '--api-key',
      key,
    ]);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ queued: 3, failed: [] });
    expect(reprocessed.sort()).toEqual([...ids].sort());

    const unknown = await runBundledCli(bundle.path, [
      'reprocess',
      ids[0]!,
      'nope',
      '--url',
      s.url,
      '--api-key',
      key,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^nope: NOT_FOUND /m);
    expect(unknown.stdout).toBe('queued 1 file(s) for processing\n');

    const noKey = await runBundledCli(bundle.path, ['reprocess', '--all', '--url', s.url], {
      FILEFORGE_API_KEY: '',
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/give an admin or editor API key/);
  });
});
