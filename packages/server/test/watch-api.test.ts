import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  type FileResource,
  makeTempDir,
  startTestServer,
  stopTestServers,
} from './support/server.js';

afterEach(stopTestServers);

describe('POST /api/v1/watch/rescan', () => {
  it('answers 404 WATCH_NOT_CONFIGURED when no folder is watched', async () => {
    const { api } = await startTestServer();
    const res = await api('/api/v1/watch/rescan', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('WATCH_NOT_CONFIGURED');
  });

  it("does not scan another tenant's folder: 404 WATCH_NOT_CONFIGURED for an admin of a tenant without one", async () => {
    const folder = await makeTempDir('fileforge-watch-api-');
    const { api } = await startTestServer({ watch: { folder, tenant: 'elsewhere', stabilityMs: 1 } });
    const res = await api('/api/v1/watch/rescan', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('WATCH_NOT_CONFIGURED');
  });

  it('scans the watched folder now and sums what it did, without naming server paths', async () => {
    const folder = await makeTempDir('fileforge-watch-api-');
    const { api } = await startTestServer({ watch: { folder, stabilityMs: 1 } });
    await writeFile(join(folder, 'dropped.txt'), 'dropped into the watched folder\n');

    // The watcher's own events may take the file first; either way a rescan reports the
    // folder, and the file ends up ingested exactly once.
    const res = await api('/api/v1/watch/rescan', { method: 'POST' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(folder);
    expect(JSON.parse(text)).toEqual({
      folders: 1,
      seen: expect.any(Number),
      settling: expect.any(Number),
      ingested: expect.any(Number),
      rejected: 0,
      deferred: 0,
    });
    const names = await eventually(async () => {
      await api('/api/v1/watch/rescan', { method: 'POST' });
      const list = (await (await api('/api/v1/files?name=dropped')).json()) as { items: FileResource[] };
      return list.items.length > 0 ? list.items.map((f) => f.name) : undefined;
    }, 'the dropped file was never ingested');
    expect(names).toEqual(['dropped.txt']);
  });
});
