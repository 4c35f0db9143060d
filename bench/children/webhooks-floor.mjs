/**
 * Child: the least a signed, durably recorded webhook sender can do — the floor under the
 * FileForge child, hand-written on the same packages it uses: better-sqlite3 on FileForge's own
 * webhook tables (created by FileForge's migrations, then written directly), Standard Webhooks
 * signing with `node:crypto`, and undici. Per message, as FileForge: the message and its attempt
 * are inserted and committed before the emit resolves; the signed POST; its outcome and the
 * endpoint's health updated and committed. Writes asked for in one turn of the event loop share
 * one commit (FileForge's group commit). Nothing else: no leases, claims, retries, SSRF guard,
 * deadlines or response cap, one prepared statement per write, and no WAL checkpoint at all (the
 * log just grows), so the catalog's cost here is the least any such sender pays.
 * `producers` callers emit at once, `concurrency` sends in flight; timed like the other
 * children: the first `count` cold, `warmup - count` more untimed, then `count` timed (warm).
 * Usage (through runChild): webhooks-floor.mjs <dataDir> <url> <count> <concurrency> <producers> <warmup>
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createForge } from '@fileforge/core';
import { createWebhooksExtension } from '@fileforge/integrations';
import { ownPeakRss, reportToParent, timeColdAndWarm } from '../lib/child-report.mjs';
import { benchData } from './webhooks-body.mjs';

const [dataDir, url, countArg, concurrencyArg, producersArg, warmupArg] = process.argv.slice(2);
if (!dataDir || !url || !countArg || !concurrencyArg || !producersArg || !warmupArg) {
  throw new Error('usage: webhooks-floor.mjs <dataDir> <url> <count> <concurrency> <producers> <warmup>');
}
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const producers = Number(producersArg);
const warmup = Number(warmupArg);

// FileForge's schema and one endpoint row, made by FileForge itself; then the forge is closed.
const hooks = createWebhooksExtension({
  secretKey: 'bench-secret-key-material-0123456789',
  allowedHosts: ['127.0.0.1'],
});
const forge = await createForge({ dataDir, extensions: [hooks] });
const { subscription } = await hooks.service.subscribe({ name: 'floor', url, events: ['file.*'] });
await forge.close();

/** `require` as the package `name` resolves: the same driver and HTTP client FileForge loads. */
const fromPackage = (name) => createRequire(join(process.cwd(), 'packages', name, 'package.json'));
const Database = fromPackage('core')('better-sqlite3');
const { Agent } = fromPackage('integrations')('undici');
const db = new Database(join(dataDir, 'fileforge.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = 0');
const insertMessage = db.prepare(
  'insert into webhook_messages (id, tenant, event_type, body, created_at) values (?, ?, ?, ?, ?) on conflict do nothing',
);
const insertAttempt = db.prepare(
  `insert into webhook_attempts (id, tenant, endpoint_id, message_id, attempt, "trigger", url, status,
     created_at, next_attempt_at, lease_owner, lease_until, dedupe_key, schedule_step)
   values (?, 'default', ?, ?, 1, 'scheduled', ?, 'pending', ?, ?, 'floor', ?, ?, 1) on conflict do nothing`,
);
const finish = db.prepare(
  `update webhook_attempts set status = ?, response_status = ?, response_body = ?, duration_ms = ?, sent_at = ?,
     lease_owner = null, lease_until = null where id = ? and lease_owner = 'floor' and status = 'pending'`,
);
const healthy = db.prepare(
  'update webhook_endpoints set failing_since = null where id = ? and failing_since is not null',
);
const begin = db.prepare('begin');
const commit = db.prepare('commit');

/** A failed send or write ends the run: the floor only counts deliveries recorded after a 2xx. */
const failRun = (error) => {
  console.error(error);
  process.exit(1);
};

/** Writes asked for in one turn share one commit; each promise resolves once it is committed. */
let writes = [];
const flushWrites = () => {
  const batch = writes;
  writes = [];
  begin.run();
  for (const w of batch) w.run();
  commit.run();
  for (const w of batch) w.resolve();
};
const write = (run) =>
  new Promise((resolve) => {
    if (writes.push({ run, resolve }) !== 1) return;
    setImmediate(() => {
      try {
        flushWrites();
      } catch (error) {
        failRun(error);
      }
    });
  });

let seq = 0;
const newId = () => `${Date.now().toString(36)}${(seq++).toString(36).padStart(8, '0')}`;
const key = randomBytes(32);
const agent = new Agent();
const target = new URL(url);
const endpointId = subscription.id;

/** Attempts committed and waiting for a send slot. */
const ready = [];
let inFlight = 0;
let delivered = 0;
let wanted = 0;
let allDelivered = () => {};

const pump = () => {
  while (inFlight < concurrency && ready.length > 0) send(ready.shift()).catch(failRun);
};

async function send(attempt) {
  inFlight++;
  const started = performance.now();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', key)
    .update(`${attempt.messageId}.${timestamp}.${attempt.body}`)
    .digest('base64');
  const res = await agent.request({
    origin: target.origin,
    path: target.pathname,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': attempt.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${signature}`,
    },
    body: attempt.body,
  });
  const text = await res.body.text();
  inFlight--;
  pump();
  const ok = res.statusCode >= 200 && res.statusCode <= 299;
  if (!ok) throw new Error(`status ${res.statusCode}`);
  const at = new Date().toISOString();
  const ms = Math.round(performance.now() - started);
  await write(() => {
    finish.run('succeeded', res.statusCode, text, ms, at, attempt.id);
    healthy.run(endpointId);
  });
  if (++delivered === wanted) allDelivered();
}

let next = 0;
let end = 0;
async function producer() {
  while (next < end) {
    const body = JSON.stringify({
      type: 'file.processed',
      timestamp: new Date().toISOString(),
      data: benchData(next++),
    });
    const now = new Date().toISOString();
    const messageId = `msg_${newId()}`;
    const id = newId();
    await write(() => {
      insertMessage.run(messageId, 'default', 'file.processed', body, now);
      insertAttempt.run(id, endpointId, messageId, url, now, now, now, `${endpointId}/${messageId}/1`);
    });
    ready.push({ id, messageId, body });
    pump();
  }
}

/** Emits `n` messages from the producers and waits until all are delivered; answers the ms. */
async function deliver(n) {
  const start = performance.now();
  end = next + n;
  wanted += n;
  const done = new Promise((resolve) => {
    allDelivered = resolve;
  });
  await Promise.all(Array.from({ length: producers }, producer));
  await done;
  return performance.now() - start;
}
const { coldMs, ms } = await timeColdAndWarm(deliver, count, warmup);
const { n } = db.prepare("select count(*) as n from webhook_attempts where status = 'succeeded'").get();
if (n !== next) throw new Error(`${n} of ${next} deliveries recorded as succeeded`);
await agent.close();
db.close();
reportToParent({ bytes: 0, files: count, ms, coldMs, peakRssBytes: ownPeakRss() });
