/**
 * A supervisor may stop `fileforge serve` while it is still starting (a rollout cancelled, a
 * test stopping a server as soon as it answers). The stop must be the graceful one, exit 0,
 * not the signal's default action killing the process halfway through its start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, serveEnv, spawnCli } from './support/child.js';
import { eventually, makeTempDir, stopTestServers } from './support/server.js';

const children: CliProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  await stopTestServers();
});

describe('fileforge serve stopped while it starts', () => {
  it('a SIGTERM received before it listens stops it gracefully once started: exit 0', {
    timeout: 90_000,
  }, async () => {
    const serve = spawnCli(['serve'], serveEnv(await freePort(), await makeTempDir(), { LOG_LEVEL: 'info' }));
    children.push(serve);
    const said = () => {
      const { stdout, stderr } = serve.output();
      return stdout + stderr;
    };
    // The first thing it says, before opening the catalog: it has not started yet.
    await eventually(
      () => (said().includes('ENCRYPTION_KEY is not set') ? true : undefined),
      'serve starts',
      {
        timeoutMs: 60_000,
        intervalMs: 5,
      },
    );
    expect(said()).not.toContain('FileForge listening');
    serve.child.kill('SIGTERM');

    expect(await serve.exited, said()).toBe(0);
    const out = said();
    expect(out.indexOf('FileForge listening')).toBeGreaterThan(-1);
    expect(out.indexOf('shutting down')).toBeGreaterThan(out.indexOf('FileForge listening'));
    expect(out).toContain('stopped');
  });
});
