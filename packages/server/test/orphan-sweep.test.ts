import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startConfiguredSweep, startOrphanSweep } from '../src/fsck/orphan-sweep.js';
import { sha256 } from './support/fixtures.js';
import { eventually, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const HOUR = 3_600_000;

function memoryLogger() {
  const lines: Array<{ obj: object; msg: string }> = [];
  const log = (obj: object, msg: string) => lines.push({ obj, msg });
  return { lines, logger: { info: log, error: log } };
}

describe('the periodic orphan sweep (FSCK_SWEEP_INTERVAL_HOURS, issue 12)', () => {
  it('removes an unreferenced blob older than the grace period, keeps a young one and every referenced blob', async () => {
    const ts = await startTestServer();
    const body = Buffer.from('a file a record references\n');
    const upload = new FormData();
    upload.append('file', new Blob([body], { type: 'text/plain' }), 'kept.txt');
    const res = await ts.api('/api/v1/files', { method: 'POST', body: upload });
    expect(res.status).toBe(201);
    const { files } = (await res.json()) as { files: Array<{ id: string }> };

    // What a crash between linking a blob and committing its record leaves behind.
    await ts.forge.blobs.put('default/orphan-old', Readable.from([Buffer.from('left by a crash')]));
    await ts.forge.blobs.put('default/orphan-young', Readable.from([Buffer.from('an upload committing')]));
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
    await utimes(join(ts.uploadFolder, 'default/orphan-old'), twoHoursAgo, twoHoursAgo);

    const { lines, logger } = memoryLogger();
    const runs: Array<{ removed?: string[]; error?: unknown }> = [];
    const sweep = startOrphanSweep({ forge: ts.forge, intervalMs: 50, logger, onRun: (o) => runs.push(o) });
    try {
      // Generous margin: the first sweep is due after 50 ms.
      await eventually(() => (runs.length >= 2 ? true : undefined), 'the sweep never ran twice', {
        timeoutMs: 10_000,
      });
    } finally {
      await sweep.stop();
    }
    expect(runs[0]).toEqual({ removed: ['default/orphan-old'] });
    expect(runs[1]).toEqual({ removed: [] });
    expect(existsSync(join(ts.uploadFolder, 'default/orphan-old'))).toBe(false);
    expect(existsSync(join(ts.uploadFolder, 'default/orphan-young'))).toBe(true);
    expect(lines).toContainEqual({
      obj: { removed: 1, keys: ['default/orphan-old'] },
      msg: 'orphan sweep removed unreferenced blobs',
    });
    const download = await ts.api(`/api/v1/files/${files[0]!.id}/download`);
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(body));
  });

  it('also sweeps what interrupted uploads left behind, only past the grace period (issue 13)', async () => {
    const ts = await startTestServer();
    // Temp files of puts: one a crash left two hours ago, one of an upload in flight now.
    const temp = join(ts.uploadFolder, '.tmp');
    await mkdir(temp, { recursive: true });
    await writeFile(join(temp, 'crashed.part'), 'half a file');
    await writeFile(join(temp, 'in-flight.part'), 'an upload streaming in');
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
    await utimes(join(temp, 'crashed.part'), twoHoursAgo, twoHoursAgo);

    const { lines, logger } = memoryLogger();
    const runs: Array<{ removed?: string[]; error?: unknown }> = [];
    const sweep = startOrphanSweep({ forge: ts.forge, intervalMs: 50, logger, onRun: (o) => runs.push(o) });
    try {
      await eventually(() => (runs.length >= 1 ? true : undefined), 'the sweep never ran', {
        timeoutMs: 10_000,
      });
    } finally {
      await sweep.stop();
    }
    expect(existsSync(join(temp, 'crashed.part'))).toBe(false);
    expect(existsSync(join(temp, 'in-flight.part'))).toBe(true);
    expect(lines).toContainEqual({
      obj: { removed: 1 },
      msg: 'sweep removed what interrupted uploads left behind',
    });
  });

  it('runs no sweep after stop()', async () => {
    const ts = await startTestServer();
    const runs: unknown[] = [];
    const sweep = startOrphanSweep({
      forge: ts.forge,
      intervalMs: 50,
      logger: memoryLogger().logger,
      onRun: (o) => runs.push(o),
    });
    await sweep.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual([]);
  });

  it('is configured by FSCK_SWEEP_INTERVAL_HOURS: 24 by default, 0 disables it, a bad value is refused', async () => {
    const base = {
      DATA_DIR: '/tmp/fileforge-sweep-config',
      SECRET_KEY: 'x'.repeat(48),
      JWT_SECRET_KEY: 'y'.repeat(48),
    };
    expect(loadConfig(base).env.FSCK_SWEEP_INTERVAL_HOURS).toBe(24);
    expect(loadConfig({ ...base, FSCK_SWEEP_INTERVAL_HOURS: '0.5' }).env.FSCK_SWEEP_INTERVAL_HOURS).toBe(0.5);
    const disabled = loadConfig({ ...base, FSCK_SWEEP_INTERVAL_HOURS: '0' });
    const ts = await startTestServer();
    expect(startConfiguredSweep(disabled, ts.forge, memoryLogger().logger)).toBeUndefined();
    expect(() => loadConfig({ ...base, FSCK_SWEEP_INTERVAL_HOURS: 'daily' })).toThrow(
      /FSCK_SWEEP_INTERVAL_HOURS/,
    );
  });
});
