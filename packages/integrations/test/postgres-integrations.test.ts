/**
 * The integrations' stores on PostgreSQL (issue 13): a forge on the machine's PostgreSQL, in a
 * schema of its own, with the webhooks and connectors extensions — their migrations apply, a
 * file event becomes a signed delivery with its history, credentials are stored sealed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import {
  POSTGRES_TEST_URL,
  type PostgresTestSchema,
  postgresTestSchema,
  requireService,
} from '@fileforge/test-fixtures/services';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectorsExtension, createWebhooksExtension } from '../src/index.js';
import { createSlackFake } from './fakes/slack.js';
import { loopbackHttp, TEST_SECRET_KEY, useFakes } from './support/connectors.js';
import { FAST, type Receiver, SECRET_KEY, startReceiver, until } from './webhooks-support.js';

const available = await requireService('PostgreSQL', POSTGRES_TEST_URL);
const TOKEN = 'xoxb-fileforge-test';
const slack = createSlackFake();
useFakes([slack]);

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function openForge(schema: PostgresTestSchema, receiver: Receiver) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ff-integrations-pg-'));
  const http = loopbackHttp();
  const hooks = createWebhooksExtension({ secretKey: SECRET_KEY, ...FAST });
  const connectors = createConnectorsExtension({
    secretKey: TEST_SECRET_KEY,
    http,
    settings: { slack: { endpoints: slack.apiUrl } },
  });
  const forge: Forge = await createForge({
    dataDir,
    databaseUrl: schema.url,
    extensions: [hooks, connectors],
    queueTiming: { pollIntervalMs: 20 },
  });
  cleanups.push(async () => {
    await forge.close();
    await http.close();
    await receiver.close();
    await schema.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { forge, hooks, connectors };
}

describe.skipIf(!available)('integrations on PostgreSQL (issue 13)', () => {
  it('applies the webhooks and connectors migrations, delivers a signed file event with its history, and seals credentials', async () => {
    const receiver = await startReceiver();
    const { forge, hooks, connectors } = await openForge(postgresTestSchema(), receiver);
    expect(forge.catalog.dialect).toBe('postgres');

    const { subscription, secret } = await hooks.service.subscribe({
      name: 'receiver',
      url: receiver.url,
      events: ['file.uploaded'],
    });
    receiver.secrets.push(secret);
    const record = await forge.ingest(Readable.from([Buffer.from('hello\n')]), { name: 'hello.txt' });
    await until(() => receiver.received.length === 1);
    expect(receiver.received[0]?.verified).toBe(true);
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({
      type: 'file.uploaded',
      data: { file: { id: record.id } },
    });
    await until(
      async () => (await hooks.service.deliveries(subscription.id)).items[0]?.status === 'succeeded',
    );
    const { items } = await hooks.service.deliveries(subscription.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ eventType: 'file.uploaded', attempt: 1, responseStatus: 204 });

    const status = await connectors.service.connect('slack', { botToken: TOKEN }, { tenant: 'acme' });
    expect(status).toMatchObject({ connected: true });
    const db = forge.catalog.db?.();
    if (!db) throw new Error('a SQL catalog offers db()');
    const { rows } = await sql<{ tenant: string; sealed: string }>`
      select tenant, sealed from connector_credentials`.execute(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tenant).toBe('acme');
    expect(rows[0]?.sealed).not.toContain(TOKEN);
    expect((await connectors.service.status('slack', { tenant: 'acme' })).connected).toBe(true);
  });
});
