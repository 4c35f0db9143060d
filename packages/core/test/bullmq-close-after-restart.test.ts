/**
 * `close()` of the BullMQ queue after its Redis restarted while the queue was idle: it must end
 * within its grace plus a small bound (a `fileforge worker` SIGTERMed after a Redis bounce must
 * exit), whatever state BullMQ's connections were left in. Runs on a private `redis-server` on a
 * spare port, never the machine's shared Redis.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createBullmqQueue, type JobQueue } from '@fileforge/core';
import { REDIS_TEST_URL, requireService, tcpReachable } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';

const redisAvailable = await requireService('Redis', REDIS_TEST_URL);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/** A private redis-server that can be killed (an outage) and started again on its port. */
async function privateRedis() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited = Promise.resolve();
  const start = async () => {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
      stdio: 'ignore',
    });
    child = server;
    exited = new Promise<void>((resolve) => {
      server.once('error', () => resolve());
      server.once('exit', () => resolve());
    });
    const deadline = Date.now() + 10_000;
    while (!(await tcpReachable(url, 200))) {
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`redis-server did not start on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    child?.kill('SIGKILL');
    await exited;
    child = undefined;
  };
  await start();
  cleanups.unshift(stop);
  return { url, start, stop };
}

const settledWithin = (work: Promise<unknown>, ms: number) =>
  Promise.race([
    work.then(() => 'closed'),
    new Promise<string>((resolve) => setTimeout(() => resolve('still closing'), ms).unref()),
  ]);

describe.skipIf(!redisAvailable)('BullMQ queue close after a Redis restart', () => {
  it('closes within its grace plus a few seconds after Redis restarted while idle', {
    timeout: 40_000,
  }, async () => {
    const redis = await privateRedis();
    const queue: JobQueue<{ work: { n: number } }> = createBullmqQueue({
      url: redis.url,
      prefix: 'close-after-restart',
      onQueueError: () => {},
    });
    const ran: number[] = [];
    queue.register('work', async ({ n }) => {
      ran.push(n);
    });
    await queue.start();
    await queue.enqueue('work', { n: 1 });
    await queue.onIdle();
    expect(ran).toEqual([1]);

    // Redis away longer than BullMQ's blocking-fetch watchdog (drainDelay 5 s + 1 s) while the
    // worker waits for jobs, then back: BullMQ's own reconnect delay has grown by then (up to
    // 20 s), and a polite close waited for connections that were still between attempts.
    await redis.stop();
    await new Promise((r) => setTimeout(r, 8000));
    await redis.start();
    await new Promise((r) => setTimeout(r, 1000));

    expect(await settledWithin(queue.close({ graceMs: 1000 }), 10_000)).toBe('closed');
  });
});
