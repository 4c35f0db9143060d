/**
 * Child: memory with `count` messages queued for a receiver that is down (connections
 * refused). Emits them in steps, and after each step lets every first attempt fail, collects
 * garbage and reads RSS and the V8 heap in use: flat means the queue lives in the catalog,
 * not in memory.
 * Usage (through runChild): webhooks-queued.mjs <dataDir> <deadUrl> <count>
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createForge } from '@fileforge/core';
import { createWebhooksExtension } from '@fileforge/integrations';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';
import { benchData } from './webhooks-body.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const [dataDir, url, countArg] = process.argv.slice(2);
if (!dataDir || !url || !countArg) throw new Error('usage: webhooks-queued.mjs <dataDir> <deadUrl> <count>');
const count = Number(countArg);
const hooks = createWebhooksExtension({
  secretKey: 'bench-secret-key-material-0123456789',
  allowedHosts: ['127.0.0.1'],
});
const forge = await createForge({ dataDir, extensions: [hooks] });
const service = hooks.service;
await service.subscribe({ name: 'down', url, events: ['file.*'] });
const db = forge.catalog.db();
const pending = async () =>
  Number(
    (
      await db
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirst()
    ).n,
  );

const marks = [];
const start = performance.now();
let emitted = 0;
for (const step of [count / 10, count / 2, count]) {
  while (emitted < step) await service.emit('file.processed', benchData(emitted++));
  await service.flush(); // every first attempt sent (refused) and its retry scheduled
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  marks.push({ queued: await pending(), rss, heapUsed });
}
const ms = performance.now() - start;
await forge.close();
reportToParent({ bytes: 0, files: count, ms, peakRssBytes: ownPeakRss(), marks });
