/**
 * Child: the least a webhook sender does — the same bodies POSTed with undici to the same
 * receiver, `concurrency` in flight, no signing, no catalog. Timed like the FileForge child:
 * the first `count` cold, `warmup - count` more untimed, then `count` timed (warm).
 * Usage (through runChild): webhooks-baseline.mjs <url> <count> <concurrency> <warmup>
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ownPeakRss, reportToParent, timeColdAndWarm } from '../lib/child-report.mjs';
import { benchData } from './webhooks-body.mjs';

const require = createRequire(join(process.cwd(), 'packages', 'integrations', 'package.json'));
const { Agent } = require('undici');
const [url, countArg, concurrencyArg, warmupArg] = process.argv.slice(2);
if (!url || !countArg || !concurrencyArg || !warmupArg)
  throw new Error('usage: webhooks-baseline.mjs <url> <count> <concurrency> <warmup>');
const count = Number(countArg);
const warmup = Number(warmupArg);
const agent = new Agent();
const target = new URL(url);

let next = 0;
let end = 0;
async function worker() {
  while (next < end) {
    const i = next++;
    const body = JSON.stringify({
      type: 'file.processed',
      timestamp: new Date().toISOString(),
      data: benchData(i),
    });
    const res = await agent.request({
      origin: target.origin,
      path: target.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await res.body.dump();
    if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`status ${res.statusCode}`);
  }
}
/** POSTs `n` more bodies from the workers; answers the ms it took. */
async function deliver(n) {
  const start = performance.now();
  end = next + n;
  await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
  return performance.now() - start;
}
const { coldMs, ms } = await timeColdAndWarm(deliver, count, warmup);
await agent.close();
reportToParent({ bytes: 0, files: count, ms, coldMs, peakRssBytes: ownPeakRss() });
