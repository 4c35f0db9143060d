import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSharedCache, type SharedCache } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import { openForge, type Receiver, removeDir, startReceiver, type TestForge } from './webhooks-support.js';

const redis = await requireService('Redis', REDIS_TEST_URL);

describe('webhook subscriptions across instances (issue 13)', () => {
  const opened: TestForge[] = [];
  const caches: SharedCache[] = [];
  const dirs: string[] = [];
  let receiver: Receiver | undefined;
  afterEach(async () => {
    for (const t of opened.splice(0).reverse()) await t.close();
    for (const c of caches.splice(0)) await c.close();
    for (const d of dirs.splice(0)) await removeDir(d);
    await receiver?.close();
  });

  /** Two instances on one catalog (one SQLite file), each with its own webhook service. */
  async function twoInstances(shared: boolean) {
    const root = await mkdtemp(join(tmpdir(), 'ff-webhooks-shared-'));
    dirs.push(root);
    receiver = await startReceiver();
    const databaseUrl = `sqlite:${join(root, 'shared.db')}`;
    const namespace = `fileforge-test:webhooks:${randomUUID()}`;
    const instance = async (name: string) => {
      const cache = shared ? createSharedCache({ url: REDIS_TEST_URL, namespace }) : undefined;
      if (cache) caches.push(cache);
      // A long cache time: without the shared generation, a change elsewhere would go unseen.
      const t = await openForge(
        { endpointCacheMs: 60_000, allowedHosts: ['127.0.0.1'], ...(cache ? { cache } : {}) },
        { dataDir: join(root, name), databaseUrl },
      );
      opened.push(t);
      return t.hooks.service;
    };
    const one = await instance('one');
    const two = await instance('two');
    return { one, two, url: receiver.url };
  }

  it.skipIf(!redis)(
    'with REDIS_URL (keyv on Redis), an emit on one instance never targets a subscription just removed on another, and sees a new one at once',
    async () => {
      const { one, two, url } = await twoInstances(true);
      const { subscription } = await one.subscribe({ name: 'crm', url, events: ['invoice.*'] });
      // Instance two has read (and cached) the tenant's subscriptions.
      expect((await two.emit('invoice.paid', {})).subscriptions).toBe(1);

      await one.remove(subscription.id);
      expect((await two.emit('invoice.paid', {})).subscriptions).toBe(0);

      await one.subscribe({ name: 'erp', url, events: ['invoice.*'] });
      expect((await two.emit('invoice.paid', {})).subscriptions).toBe(1);
      await one.update((await one.list()).items[0]!.id, { enabled: false });
      expect((await two.emit('invoice.paid', {})).subscriptions).toBe(0);
    },
  );

  it('without a shared cache: a removal elsewhere costs one failed insert (never a failed emit); a new subscription elsewhere waits for endpointCacheMs', async () => {
    const { one, two, url } = await twoInstances(false);
    const { subscription } = await one.subscribe({ name: 'crm', url, events: ['invoice.*'] });
    expect((await two.emit('invoice.paid', {})).subscriptions).toBe(1);
    await one.remove(subscription.id);
    // Instance two's cached list names the removed subscription: it reads the catalog again.
    expect((await two.emit('invoice.paid', {})).subscriptions).toBe(0);
    expect((await one.emit('invoice.paid', {})).subscriptions).toBe(0);
    // The per-process default: another instance's new subscription is seen within endpointCacheMs.
    await one.subscribe({ name: 'erp', url, events: ['invoice.*'] });
    expect((await one.emit('invoice.paid', {})).subscriptions).toBe(1);
    expect((await two.emit('invoice.paid', {})).subscriptions).toBe(0);
  });
});
