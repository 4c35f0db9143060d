import { join } from 'node:path';
import Database from 'better-sqlite3';
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
import { makeLargeText, sha256 } from './support/fixtures.js';
import {
  authedFetch,
  eventually,
  type FileResource,
  makeTempDir,
  stopTestServers,
} from './support/server.js';

const children: CliProcess[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await stopTestServers();
});

const FILES = 40;
const FILES_PER_REQUEST = 10;
const FILE_BYTES = 2 * 1024 * 1024;

/** Status counts of the `files` and `jobs` tables, read straight from the SQLite catalog. */
function catalogStatus(dataDir: string) {
  const db = new Database(join(dataDir, 'fileforge.db'), { readonly: true, fileMustExist: true });
  try {
    const count = (table: 'files' | 'jobs') =>
      Object.fromEntries(
        (
          db.prepare(`select status, count(*) as n from ${table} group by status`).all() as Array<{
            status: string;
            n: number;
          }>
        ).map((r) => [r.status, r.n]),
      ) as Record<string, number>;
    return { files: count('files'), jobs: count('jobs') };
  } finally {
    db.close();
  }
}

const sum = (counts: Record<string, number>, ...keys: string[]) =>
  (keys.length > 0 ? keys : Object.keys(counts)).reduce((n, k) => n + (counts[k] ?? 0), 0);

describe('crash recovery', () => {
  it('finishes every queued job after the server is killed and started again', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = serveEnv(port, dataDir, { MAX_WORKERS: '1' });
    const serve = () => {
      const cli = spawnCli(['serve'], env);
      children.push(cli);
      return cli;
    };

    const originals = new Map<string, Buffer>();
    for (let i = 0; i < FILES; i++) {
      originals.set(`log-${String(i).padStart(2, '0')}.txt`, makeLargeText(FILE_BYTES, `file ${i}`));
    }
    const names = [...originals.keys()];

    const first = serve();
    await waitForHealthy(url, first);
    const api = authedFetch(url, await loginAsAdmin(url));
    // Requests run side by side so files are stored faster than one worker processes them;
    // the server dies the moment the last one has answered.
    const batches: string[][] = [];
    for (let start = 0; start < FILES; start += FILES_PER_REQUEST) {
      batches.push(names.slice(start, start + FILES_PER_REQUEST));
    }
    let answered = 0;
    const statuses = await Promise.all(
      batches.map(async (batch) => {
        const form = new FormData();
        for (const name of batch) {
          form.append('file', new File([originals.get(name)!], name, { type: 'text/plain' }));
        }
        const res = await api('/api/v1/files', { method: 'POST', body: form });
        if (++answered === batches.length) first.child.kill('SIGKILL');
        await res.body?.cancel().catch(() => {});
        return res.status;
      }),
    );
    expect(statuses).toEqual(batches.map(() => 201));
    expect(await first.exited).toBe('SIGKILL');

    const atKill = catalogStatus(dataDir);
    expect(sum(atKill.files)).toBe(FILES);
    const unfinished = sum(atKill.files, 'pending', 'processing');
    if (unfinished === 0) {
      throw new Error(
        `The setup did not exercise recovery: every file was already processed when the server was killed (${JSON.stringify(atKill)}). Make the files larger or more numerous.`,
      );
    }
    expect(sum(atKill.jobs, 'pending', 'running')).toBeGreaterThan(0);

    const second = serve();
    await waitForHealthy(url, second);
    const items = await eventually(
      async () => {
        const res = await api('/api/v1/files?limit=500');
        const { items } = (await res.json()) as { items: FileResource[] };
        return items.length === FILES && items.every((f) => f.status === 'processed') ? items : undefined;
      },
      `not every file was processed after the restart (at the kill: ${JSON.stringify(atKill)})`,
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    const after = catalogStatus(dataDir);
    expect(after.files).toEqual({ processed: FILES });
    expect(sum(after.jobs, 'pending', 'running', 'failed')).toBe(0);
    expect(after.jobs.completed).toBeGreaterThanOrEqual(FILES);

    expect(items.map((f) => f.name).sort()).toEqual(names);
    for (const file of items) {
      const original = originals.get(file.name)!;
      expect(file.sha256).toBe(sha256(original));
      expect(file.metadata.text).toMatchObject({ encoding: 'utf-8' });
      const res = await api(file.links.download);
      expect(res.status).toBe(200);
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(file.sha256);
    }
  });
});
