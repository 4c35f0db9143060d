/**
 * Connectors across two instances on one catalog (issue 13): with a shared cache (keyv on
 * Redis), credentials replaced or removed on one instance stop being used by the other at once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSharedCache, type SharedCache } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackFake } from './fakes/slack.js';
import { type ConnectorForge, openConnectorForge, quickHa, useFakes } from './support/connectors.js';

const TOKEN = 'xoxb-fileforge-test';
const fake = createSlackFake();
useFakes([fake]);
const redis = await requireService('Redis', REDIS_TEST_URL);

const opened: ConnectorForge[] = [];
const caches: SharedCache[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
  for (const c of caches.splice(0)) await c.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Two instances on one catalog (one SQLite file), each with its own live connectors. */
async function twoInstances() {
  const root = await mkdtemp(join(tmpdir(), 'ff-connectors-shared-'));
  dirs.push(root);
  const databaseUrl = `sqlite:${join(root, 'shared.db')}`;
  // The catalog (with the connectors' table) is migrated once, before both open it.
  const first = await openConnectorForge({}, { databaseUrl });
  await first.close();
  const namespace = `fileforge-test:connectors:${randomUUID()}`;
  const instance = async () => {
    const cache = createSharedCache({ url: REDIS_TEST_URL, namespace });
    caches.push(cache);
    const t = await openConnectorForge(
      {
        ha: { ...quickHa, maxRetries: 0 },
        settings: { slack: { endpoints: fake.apiUrl } },
        cache,
      },
      { databaseUrl },
    );
    opened.push(t);
    return t.service;
  };
  return { one: await instance(), two: await instance() };
}

describe.skipIf(!redis)('connectors across instances (issue 13)', () => {
  it('with REDIS_URL, credentials replaced or removed on one instance stop being used by the other at once', async () => {
    const { one, two } = await twoInstances();
    await one.connect('slack', { botToken: TOKEN }, { test: false });
    // Instance two builds its live connector (circuit, client) from the stored credentials.
    expect((await two.test('slack')).success).toBe(true);

    // Rotated on instance one to a token Slack does not know: two uses it on its next call.
    await one.connect('slack', { botToken: 'xoxb-not-known' }, { test: false });
    expect((await two.test('slack')).success).toBe(false);
    await one.connect('slack', { botToken: TOKEN }, { test: false });
    expect((await two.test('slack')).success).toBe(true);

    // Disconnected on instance one: two no longer calls Slack at all.
    await one.disconnect('slack');
    await expect(two.test('slack')).rejects.toMatchObject({ code: 'INTEGRATION_NOT_CONNECTED' });
  });
});
