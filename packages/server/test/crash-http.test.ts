/**
 * The upload crash suite over real HTTP (issue 12): a real `fileforge serve` child is SIGKILLed
 * at named crash points (`FILEFORGE_CRASH_AT`, test-only) while a client uploads, then started
 * again on the same data directory. The scenarios run one after another on one directory, so
 * each restart recovers from the crash before it and keeps every earlier acknowledged file.
 *
 * After each crash and restart: every upload the client got 201 for downloads with its SHA-256;
 * an upload the client never got an answer for is absent when the process died before its
 * commit (mid-body) — after `upload:after-commit` and `upload:before-response` the record was
 * committed before the process died, so it exists unacknowledged, and complete (a lost response
 * is indistinguishable from a lost connection: the client finds it by listing);
 * `.tmp` is empty; `PRAGMA integrity_check` is ok (read-only, while the server is down).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
import { makeLargeText, sha256 } from './support/fixtures.js';
import { authedFetch, type FileResource, makeTempDir, stopTestServers } from './support/server.js';

// Five starts of `fileforge serve`: bundled once, each start is a fraction of a tsx start.
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

const SMALL = 20 * 1024;
const LARGE = 300 * 1024;

interface Scenario {
  crashAt: string;
  /** Files uploaded (one request each, in order) before the one the server dies in. */
  acked: number;
  /** Whether the file being uploaded at the crash was committed before it (then it must exist, complete). */
  committed: boolean;
}

// upload:body:<N> kills when the blob store would pass N bytes of one file: the small files
// (below N) are stored and acknowledged first, the large one dies mid-body.
const SCENARIOS: Scenario[] = [
  { crashAt: 'upload:body:65543', acked: 2, committed: false },
  { crashAt: 'upload:body:200000', acked: 1, committed: false },
  { crashAt: 'upload:after-commit', acked: 0, committed: true },
  { crashAt: 'upload:before-response', acked: 0, committed: true },
];

/** POSTs one file; the status, or `'no answer'` when the connection died. */
async function upload(api: ReturnType<typeof authedFetch>, name: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new File([bytes], name, { type: 'text/plain' }));
  try {
    const res = await api('/api/v1/files', { method: 'POST', body: form });
    const body = (await res.json().catch(() => null)) as { files?: FileResource[] } | null;
    return { status: res.status, file: body?.files?.[0] };
  } catch {
    return { status: 'no answer' as const, file: undefined };
  }
}

function integrityCheck(dataDir: string): string {
  const db = new Database(join(dataDir, 'fileforge.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) ?? '';
  } finally {
    db.close();
  }
}

describe('upload crash points over HTTP (issue 12)', () => {
  it('keeps every acknowledged upload intact and nothing partial after SIGKILL at body offsets, after commit and before the response', {
    timeout: 90_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const tmpArea = join(dataDir, 'uploads', '.tmp');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = async (extra: Record<string, string> = {}) => {
      const cli = spawnBundledCli(
        bundle.path,
        ['serve'],
        serveEnv(port, dataDir, { MAX_WORKERS: '1', ...extra }),
      );
      children.push(cli);
      await waitForHealthy(url, cli);
      return { cli, api: authedFetch(url, await loginAsAdmin(url)) };
    };

    /** Every upload the client got 201 for, by name. */
    const acknowledged = new Map<string, Buffer>();
    /** Uploads that got no answer: name → bytes and whether they were committed before the crash. */
    const unanswered = new Map<string, { bytes: Buffer; committed: boolean }>();

    /** What a freshly (re)started server must show. */
    const checkRecovered = async (api: ReturnType<typeof authedFetch>, after: string) => {
      expect(await readdir(tmpArea).catch(() => []), `.tmp after ${after}`).toEqual([]);
      const { items } = (await (await api('/api/v1/files?limit=500')).json()) as { items: FileResource[] };
      const byName = new Map(items.map((f) => [f.name, f]));
      for (const [name, bytes] of acknowledged) {
        const file = byName.get(name);
        expect(file, `acknowledged ${name} after ${after}`).toBeDefined();
        const res = await api(file!.links.download);
        expect(res.status).toBe(200);
        expect(sha256(Buffer.from(await res.arrayBuffer())), `${name} after ${after}`).toBe(sha256(bytes));
      }
      for (const [name, { bytes, committed }] of unanswered) {
        const file = byName.get(name);
        // Died before its commit: nothing of it is visible. Committed, unacknowledged: it
        // exists and is complete (a client that lost the answer finds it by listing).
        expect(file !== undefined, `${name} visible after ${after}`).toBe(committed);
        if (!file) continue;
        const res = await api(file.links.download);
        expect(sha256(Buffer.from(await res.arrayBuffer())), `unacknowledged ${name} is complete`).toBe(
          sha256(bytes),
        );
      }
      expect(items.length).toBeLessThanOrEqual(acknowledged.size + unanswered.size);
    };

    let fileNo = 0;
    let previous = 'the first start';
    for (const scenario of SCENARIOS) {
      const { cli, api } = await serve({ FILEFORGE_CRASH_AT: scenario.crashAt });
      await checkRecovered(api, previous);
      for (let i = 0; i < scenario.acked; i++) {
        const name = `acked-${++fileNo}.txt`;
        const bytes = makeLargeText(SMALL, name);
        const { status } = await upload(api, name, bytes);
        expect(status, `${name} under ${scenario.crashAt}`).toBe(201);
        acknowledged.set(name, bytes);
      }
      const name = `crash-${++fileNo}.txt`;
      const bytes = makeLargeText(LARGE, name);
      const { status } = await upload(api, name, bytes);
      expect(status, `the upload the server dies in (${scenario.crashAt})`).toBe('no answer');
      unanswered.set(name, { bytes, committed: scenario.committed });
      expect(await cli.exited).toBe('SIGKILL');
      expect(integrityCheck(dataDir), `catalog after SIGKILL at ${scenario.crashAt}`).toBe('ok');
      previous = `SIGKILL at ${scenario.crashAt}`;
    }

    const { cli, api } = await serve();
    await checkRecovered(api, previous);
    // The catalog is checked once more after a clean stop.
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(integrityCheck(dataDir)).toBe('ok');
    expect(acknowledged.size).toBe(3);
  });
});
