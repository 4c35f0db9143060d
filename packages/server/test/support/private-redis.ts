/**
 * A `redis-server` of the test's own on a spare loopback port, for tests that stop and start
 * Redis (outages): never the machine's shared Redis. No persistence: a restart starts empty.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { tcpReachable } from '@fileforge/test-fixtures/services';
import { freePort } from './child.js';

/** A private Redis that the test can stop and start again on the same port. */
export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits until the port is closed. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): Promise<void>;
}

/** Starts a private `redis-server`; it is killed by `stop()` (call it in `afterEach`/`afterAll`). */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderr = '';

  async function start(): Promise<void> {
    const server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = server;
    server.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    exited = new Promise<void>((resolve) => {
      server.once('error', (error) => {
        stderr += String(error);
        resolve();
      });
      server.once('exit', () => resolve());
    });
    const deadline = Date.now() + 10_000;
    while (!(await tcpReachable(url, 200))) {
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`private redis-server did not start on ${port}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  await start();
  return {
    url,
    start,
    async stop() {
      child?.kill('SIGKILL');
      await exited;
      child = undefined;
    },
  };
}
