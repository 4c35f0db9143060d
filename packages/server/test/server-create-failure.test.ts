/**
 * `createServer()` that fails part-way releases what it had opened before it rejects. Before,
 * a failure after the rate-limit and login-throttle stores had connected to Redis (here: the
 * upload admission refusing a catalog without SQL access) left those connections open, so a
 * process that caught the error, closed its forge and meant to exit lived on.
 */
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, spawnNode } from './support/child.js';
import { eventually, makeTempDir, stopTestServers, TOKEN_SECRET } from './support/server.js';

const APP = new URL('../src/app.ts', import.meta.url).href;

/**
 * A program embedding the server: its forge's catalog offers no SQL access (a custom adapter's
 * may not), so `createServer` fails at the upload admission, after both stores connected.
 */
const EMBEDDER = `
import { createForge } from '@fileforge/core';
const { createServer } = await import(${JSON.stringify(APP)});
const forge = await createForge({ dataDir: process.env.DATA_DIR });
forge.catalog.db = undefined;
try {
  await createServer(forge, {
    tokens: { secret: process.env.TOKEN_SECRET },
    rateLimitStorageUrl: process.env.REDIS_URL,
    bcryptRounds: 4,
  });
  console.error('createServer unexpectedly succeeded');
} catch (error) {
  console.error('createServer failed: ' + error.message);
}
await forge.close();
`;

const children: CliProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  await stopTestServers();
});

const redis = await requireService('Redis', REDIS_TEST_URL);

describe.skipIf(!redis)('createServer that fails part-way', () => {
  it('closes the Redis connections it opened: a process that handles the error exits by itself', {
    timeout: 90_000,
  }, async () => {
    const embedder = spawnNode(
      ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', EMBEDDER],
      {
        DATA_DIR: await makeTempDir(),
        TOKEN_SECRET,
        REDIS_URL: REDIS_TEST_URL,
      },
    );
    children.push(embedder);
    let code: number | NodeJS.Signals | undefined;
    void embedder.exited.then((c) => {
      code = c;
    });
    await eventually(
      () => (embedder.output().stderr.includes('createServer') || code !== undefined ? true : undefined),
      'the embedder reports how createServer ended',
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    const reported = performance.now();
    expect(embedder.output().stderr).toMatch(/createServer failed: .*needs a SQL catalog/);
    // Nothing left open: it ends on its own, not when killed after the test's patience runs out.
    const exited = await Promise.race([
      embedder.exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 8_000)),
    ]);
    expect(exited, embedder.output().stderr).toBe(0);
    expect(performance.now() - reported).toBeLessThan(8_000);
  });
});
