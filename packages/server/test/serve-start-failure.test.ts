/**
 * `fileforge serve` that cannot start (here: REDIS_URL points where nothing listens) exits
 * with status 1 and says why, so a supervisor (`restart: on-failure`, systemd) sees it and
 * restarts it. Before, the error was printed but the forge's connections kept reconnecting:
 * the process neither listened nor exited.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, serveEnv, spawnCli } from './support/child.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import { eventually, makeTempDir, stopTestServers } from './support/server.js';

const children: CliProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await stopTestServers();
});

/** Something else listening on a loopback port, as a second server or another program would. */
async function occupiedPort(): Promise<number> {
  const taken: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    taken.once('error', reject);
    taken.listen(0, '127.0.0.1', resolve);
  });
  cleanups.push(() => new Promise((resolve) => taken.close(() => resolve())));
  const address = taken.address();
  return typeof address === 'object' && address ? address.port : 0;
}

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

  // Regression: when listening failed (the port taken), startServer left what the HTTP app had
  // opened (the rate-limit and login-throttle Redis clients, the upload admission's lease
  // renewal) open: the process printed EADDRINUSE, then lingered until the CLI's 10 s forced exit.
  it('exits with status 1 as soon as it says its port is taken, also with REDIS_URL set', {
    timeout: 90_000,
  }, async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const serve = spawnCli(
      ['serve'],
      serveEnv(await occupiedPort(), await makeTempDir(), { REDIS_URL: redis.url }),
    );
    children.push(serve);
    let code: number | NodeJS.Signals | undefined;
    void serve.exited.then((c) => {
      code = c;
    });
    // The trigger: the moment it reports the failure; from then on nothing should keep it alive.
    await eventually(
      () => (serve.output().stderr.includes('EADDRINUSE') || code !== undefined ? true : undefined),
      'serve reports the port in use',
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    const reported = performance.now();
    expect(await serve.exited, serve.output().stderr).toBe(1);
    expect(serve.output().stderr).toContain('EADDRINUSE');
    // Well before the CLI's forced exit, 10 s after the message.
    expect(performance.now() - reported).toBeLessThan(5_000);
  });
});
