/**
 * `fileforge ingest` of folders against a running server: every file of a nested folder is
 * stored although the default rate limit refuses some of the uploads (429 with Retry-After,
 * waited out), and a refused file makes the run fail with the server's code in the summary.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@fileforge/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestReport } from '../src/commands/ingest-report.js';
import { bundleCli, runBundledCli } from './support/bundled-cli.js';
import { makeTempDir, startTestServer, stopTestServers, type TestServer } from './support/server.js';

let bundle: Awaited<ReturnType<typeof bundleCli>>;
beforeAll(async () => {
  bundle = await bundleCli();
});
afterAll(() => bundle?.remove());
afterEach(stopTestServers);

/** Every file name the server's catalog holds for the default tenant, all pages. */
async function storedNames(s: TestServer): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await s.forge.files.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    names.push(...page.items.map((f) => f.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names.sort();
}

describe('fileforge ingest of a folder', () => {
  it('stores all 150 files of a nested folder under the default rate limit and prints a summary', {
    timeout: 400_000,
  }, async () => {
    const defaultRate = loadConfig({}).env.RATELIMIT_DEFAULT;
    expect(Number(defaultRate.split(' ')[0])).toBeLessThan(150);
    const s = await startTestServer({}, { rateLimit: defaultRate });
    const inbox = await makeTempDir();
    const expected: string[] = [];
    for (let i = 0; i < 150; i++) {
      const dir = join(inbox, `batch-${i % 3}`, `part-${i % 5}`);
      await mkdir(dir, { recursive: true });
      const name = `note-${String(i).padStart(3, '0')}.txt`;
      await writeFile(join(dir, name), `note number ${i}\n`);
      expected.push(name);
    }
    // Left out: a dot file inside the folder.
    await writeFile(join(inbox, '.DS_Store'), 'x');

    const run = await runBundledCli(
      bundle.path,
      ['ingest', inbox, '--recursive', '--concurrency', '8', '--url', s.url, '--api-key', s.apiKey],
      {},
      { timeoutMs: 360_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^ingested 150 of 150 file\(s\), \d+ bytes/);
    // One line per stored file before the summary: "<id>  pending  <type>  <size>  <name>".
    expect(
      lines
        .slice(0, -1)
        .map((l) => l.trim().split(/\s+/).at(-1))
        .sort(),
    ).toEqual(expected.sort());
    // Refusals were waited out, never reported as failures.
    expect(run.stderr).not.toMatch(/FAILED|HTTP_/);
    expect(await storedNames(s)).toEqual(expected.sort());
  });

  it('fails with exit 1 when the server refuses a file, reporting it in the JSON summary', {
    timeout: 200_000,
  }, async () => {
    const s = await startTestServer({ maxFileSize: 1000 });
    const inbox = await makeTempDir();
    await mkdir(join(inbox, 'sub'));
    await writeFile(join(inbox, 'small.txt'), 'small\n');
    await writeFile(join(inbox, 'big.bin'), Buffer.alloc(5000, 1));
    await writeFile(join(inbox, 'sub', 'deep.txt'), 'not ingested without --recursive\n');
    // `bad\xff.txt`: bytes a POSIX name may hold, which no path string reaches.
    await writeFile(
      Buffer.concat([Buffer.from(`${inbox}/bad`), Buffer.from([0xff]), Buffer.from('.txt')]),
      'x',
    );

    const run = await runBundledCli(bundle.path, [
      'ingest',
      inbox,
      '--json',
      '--url',
      s.url,
      '--api-key',
      s.apiKey,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/big\.bin: FILE_TOO_LARGE /);
    expect(run.stderr).toMatch(/bad\ufffd\.txt: VALIDATION_FAILED The file name is not valid UTF-8/);
    const report = JSON.parse(run.stdout) as IngestReport;
    expect(report.summary).toEqual({ total: 3, stored: 1, failed: 2, bytes: 6, retries: 0 });
    expect(report.stored).toEqual([
      expect.objectContaining({ path: join(inbox, 'small.txt'), name: 'small.txt', size: 6 }),
    ]);
    expect(report.failed).toEqual([
      expect.objectContaining({ path: join(inbox, 'bad\ufffd.txt'), code: 'VALIDATION_FAILED' }),
      expect.objectContaining({ path: join(inbox, 'big.bin'), code: 'FILE_TOO_LARGE', status: 413 }),
    ]);
    expect(await storedNames(s)).toEqual(['small.txt']);

    const missing = await runBundledCli(bundle.path, ['ingest', join(inbox, 'nope'), '--url', s.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope is not a readable file or folder/);
  });
});
