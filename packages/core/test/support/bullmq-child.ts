/**
 * A worker process for the BullMQ stalled-job test: `<url> <prefix> <leaseMs>`. It runs
 * `work` jobs by printing `started <n>` and then never finishing, until it is killed.
 */
import { createBullmqQueue } from '@fileforge/core';

const [url, prefix, leaseMs] = process.argv.slice(2);
const queue = createBullmqQueue<{ work: { n: number } }>({
  url: url!,
  prefix: prefix!,
  leaseMs: Number(leaseMs),
  concurrency: 1,
  onQueueError: (error) => process.stderr.write(`queue error: ${String(error)}\n`),
});
queue.register('work', async ({ n }) => {
  process.stdout.write(`started ${n}\n`);
  await new Promise(() => {});
});
await queue.start();
process.stdout.write('ready\n');
