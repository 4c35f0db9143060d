/**
 * Child: the least a webhook sender does — the same bodies POSTed with undici to the same
 * receiver, `concurrency` in flight, no signing, no catalog. Timed like the FileForge child.
 * Usage (through runChild): webhooks-baseline.mjs <url> <count> <concurrency>
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';
import { benchData } from './webhooks-body.mjs';

const require = createRequire(join(process.cwd(), 'packages', 'integrations', 'package.json'));
const { Agent } = require('undici');
const [url, countArg, concurrencyArg] = process.argv.slice(2);
if (!url || !countArg || !concurrencyArg)
  throw new Error('usage: webhooks-baseline.mjs <url> <count> <concurrency>');
const count = Number(countArg);
const agent = new Agent();
const target = new URL(url);

let next = 0;
async function worker() {
  while (next < count) {
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
const start = performance.now();
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
const ms = performance.now() - start;
await agent.close();
reportToParent({ bytes: 0, files: count, ms, peakRssBytes: ownPeakRss() });
