/**
 * `fileforge serve` that cannot start (here: REDIS_URL points where nothing listens) exits
 * with status 1 and says why, so a supervisor (`restart: on-failure`, systemd) sees it and
 * restarts it. Before, the error was printed but the forge's connections kept reconnecting:
 * the process neither listened nor exited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, serveEnv, spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

const children: CliProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  await stopTestServers();
});

describe('fileforge serve that cannot start', () => {
  it('exits with status 1 and the reason when Redis cannot be reached', { timeout: 90_000 }, async () => {
    const nowhere = await freePort();
    const serve = spawnCli(
      ['serve'],
      serveEnv(await freePort(), await makeTempDir(), { REDIS_URL: `redis://127.0.0.1:${nowhere}` }),
    );
    children.push(serve);
    const start = performance.now();
    const code = await serve.exited;
    const { stderr } = serve.output();
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/127\.0\.0\.1:\d+|Redis|REDIS_URL/i);
    // Its connections closed, it ends by itself: before the CLI's 10 s forced exit.
    expect(performance.now() - start).toBeLessThan(9_000);
  });
});
