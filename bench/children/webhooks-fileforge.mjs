/**
 * Child: FileForge's webhook service from the built `@fileforge/integrations`, in a real forge.
 * Timed from the first emit() to the last success recorded: `count` messages emitted (each
 * recorded with its attempt in the catalog), signed, POSTed to the receiver and their success
 * recorded, `concurrency` sends in flight. `producers` callers emit at once, each awaiting its
 * emit() before the next (as events of many files arrive at once; 1: one after another, so
 * every message pays a commit of its own). The end is `service.flush()` (resolves once every
 * due attempt is sent and its outcome committed); the count of successes is checked after the
 * clock stops, so no polling query competes with the measured work. The first `count` of the
 * new process are timed as the cold figure, `warmup - count` more go untimed, then `count`
 * are timed (warm).
 * Usage (through runChild): webhooks-fileforge.mjs <dataDir> <url> <count> <concurrency> <producers> <warmup>
 */
import { createForge } from '@fileforge/core';
import { createWebhooksExtension } from '@fileforge/integrations';
import { ownPeakRss, reportToParent, timeColdAndWarm } from '../lib/child-report.mjs';
import { benchData } from './webhooks-body.mjs';

const [dataDir, url, countArg, concurrencyArg, producersArg, warmupArg] = process.argv.slice(2);
if (!dataDir || !url || !countArg || !concurrencyArg || !producersArg || !warmupArg) {
  throw new Error('usage: webhooks-fileforge.mjs <dataDir> <url> <count> <concurrency> <producers> <warmup>');
}
const count = Number(countArg);
const warmup = Number(warmupArg);
const hooks = createWebhooksExtension({
  secretKey: 'bench-secret-key-material-0123456789',
  allowedHosts: ['127.0.0.1'],
  concurrency: Number(concurrencyArg),
});
const forge = await createForge({ dataDir, extensions: [hooks] });
const service = hooks.service;
const { subscription } = await service.subscribe({ name: 'bench', url, events: ['file.*'] });
const db = forge.catalog.db();
const succeeded = async () =>
  Number(
    (
      await db
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'succeeded')
        .executeTakeFirst()
    ).n,
  );

const startRss = process.memoryUsage().rss;
let next = 0;
/** Emits `n` messages from the producers and waits until all are delivered; answers the ms. */
async function deliver(n) {
  const start = performance.now();
  const end = next + n;
  const producer = async () => {
    while (next < end) await service.emit('file.processed', benchData(next++));
  };
  await Promise.all(Array.from({ length: Number(producersArg) }, producer));
  await service.flush();
  return performance.now() - start;
}
const { coldMs, ms } = await timeColdAndWarm(deliver, count, warmup);
const done = await succeeded();
if (done !== next) throw new Error(`${done} of ${next} deliveries succeeded`);
const failed = (await service.deliveries(subscription.id, { status: 'failed', limit: 1 })).items.length;
if (failed > 0) throw new Error('some deliveries failed');
await forge.close();
reportToParent({ bytes: 0, files: count, ms, coldMs, peakRssBytes: ownPeakRss(), startRssBytes: startRss });
