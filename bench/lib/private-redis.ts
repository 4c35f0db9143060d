import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { tcpReachable } from '@fileforge/test-fixtures/services';
import { tail } from './child.js';
import { freePort } from './server.js';

/** A `redis-server` of the bench's own (never the machine's shared Redis), without persistence. */
export interface PrivateRedis {
  url: string;
  /** The `redis-server` process (for its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port and waits until it accepts connections. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const output = tail();
  child.on('error', (error) => output.push(String(error)));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  while (!(await tcpReachable(url, 200))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`[bench:redis] redis-server did not start on port ${port}: ${output.text()}`);
    }
    await sleep(50);
  }
  return { url, pid: child.pid ?? -1, stop };
}
