/**
 * The integrations service inside a real forge (temp directory, SQLite catalog): credentials
 * sealed in the catalog and never echoed, all seven connectors listed, status and events,
 * and the `connector.slack.uploadFile` workflow step sending a stored file to the Slack fake.
 */
import { Readable } from 'node:stream';
import { FINAL_FILE_STATUSES, type Forge, type IntegrationEvent, type WorkflowRun } from '@fileforge/core';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorsExtension } from '../src/connectors/index.js';
import { createSlackFake, slackFaults } from './fakes/slack.js';
import { type ConnectorForge, openConnectorForge, quickHa, useFakes } from './support/connectors.js';

const TOKEN = 'xoxb-fileforge-test';
const fake = createSlackFake();
useFakes([fake]);
const opened: ConnectorForge[] = [];

afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

async function forgeWithConnectors(): Promise<{
  forge: Forge;
  connectors: ConnectorsExtension;
  events: Array<[string, IntegrationEvent]>;
}> {
  const events: Array<[string, IntegrationEvent]> = [];
  const t = await openConnectorForge(
    {
      ha: { ...quickHa, maxRetries: 0, circuitOpenAfterFailures: 2 },
      settings: { slack: { endpoints: fake.apiUrl } },
    },
    {
      queueTiming: { pollIntervalMs: 20 },
      subscribe: (bus) => {
        for (const type of [
          'integration.connected',
          'integration.error',
          'integration.circuit_opened',
          'integration.circuit_closed',
        ] as const) {
          bus.on(type, (event) => {
            events.push([type, event]);
          });
        }
      },
    },
  );
  opened.push(t);
  return { forge: t.forge, connectors: t.connectors, events };
}

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not done: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('integrations service', () => {
  it('lists all seven connectors, Slack available and not connected', async () => {
    const { connectors } = await forgeWithConnectors();
    const list = await connectors.service.list();
    expect(list.map((i) => i.slug)).toEqual([
      'salesforce',
      'dynamics',
      'docusign',
      'slack',
      'teams',
      'sap',
      'oracle',
    ]);
    expect(list.find((i) => i.slug === 'slack')).toEqual({
      slug: 'slack',
      name: 'Slack',
      available: true,
      connected: false,
      circuitState: 'closed',
      region: null,
    });
  });

  it('stores credentials encrypted and never echoes them', async () => {
    const { forge, connectors, events } = await forgeWithConnectors();
    const status = await connectors.service.connect('slack', { botToken: TOKEN }, { tenant: 'acme' });
    expect(status).toMatchObject({
      connected: true,
      fields: [{ name: 'botToken', secret: true, set: true }],
      circuitState: 'closed',
      actions: ['postMessage', 'uploadFile'],
    });
    expect(JSON.stringify(status)).not.toContain(TOKEN);
    expect(JSON.stringify(await connectors.service.list({ tenant: 'acme' }))).not.toContain(TOKEN);

    // the raw row holds a sealed blob and a key id, not the token
    const { rows } = await sql<Record<string, string>>`select * from connector_credentials`.execute(
      forge.catalog.db!(),
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
    expect(JSON.stringify(rows)).not.toContain(Buffer.from(TOKEN).toString('base64').slice(0, 16));
    expect(rows[0]).toMatchObject({
      tenant: 'acme',
      slug: 'slack',
      key_id: expect.stringMatching(/^hkdf-sha256:[0-9a-f]{16}$/),
    });
    expect(rows[0]!.sealed).toMatch(/^v2\./);

    // another tenant is not connected; this one is, and the token works from storage
    expect((await connectors.service.list()).find((i) => i.slug === 'slack')?.connected).toBe(false);
    expect((await connectors.service.test('slack', { tenant: 'acme' })).success).toBe(true);
    await until(
      () => events,
      (e) => e.some(([type]) => type === 'integration.connected'),
    );
    expect(events.find(([type]) => type === 'integration.connected')?.[1]).toMatchObject({
      tenant: 'acme',
      integration: 'slack',
    });
  });

  it('refuses bad credentials (schema, then the vendor) and stores nothing', async () => {
    const { connectors } = await forgeWithConnectors();
    await expect(connectors.service.connect('slack', { botToken: 'nope' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(connectors.service.connect('slack', { botToken: 'xoxb-revoked' })).rejects.toMatchObject({
      code: 'INTEGRATION_REJECTED',
      details: { vendorCode: 'invalid_auth' },
    });
    expect((await connectors.service.status('slack')).connected).toBe(false);
    await expect(
      connectors.service.action('slack', 'postMessage', { channel: 'general', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'INTEGRATION_NOT_CONNECTED',
    });
    await expect(connectors.service.status('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports circuit state, endpoint health and the last error, and publishes circuit events', async () => {
    const { connectors, events } = await forgeWithConnectors();
    await connectors.service.connect('slack', { botToken: TOKEN });
    fake.service.inject(slackFaults.unavailable('chat.postMessage', 503, 2));
    for (let i = 0; i < 2; i++)
      await connectors.service.action('slack', 'postMessage', { channel: 'general', text: 'x' });
    const status = await connectors.service.status('slack');
    expect(status).toMatchObject({
      circuitState: 'open',
      circuit: { state: 'open', failureCount: 2 },
      endpoints: [{ url: fake.apiUrl, healthy: false }],
      lastError: { code: 'UPSTREAM_ERROR', operation: 'postMessage' },
    });
    expect((await connectors.service.list()).find((i) => i.slug === 'slack')?.circuitState).toBe('open');
    await until(
      () => events.map(([type]) => type),
      (types) =>
        types.includes('integration.circuit_opened') &&
        types.filter((t) => t === 'integration.error').length >= 2,
    );
    await connectors.service.disconnect('slack');
    expect((await connectors.service.status('slack')).connected).toBe(false);
  });

  it('runs connector.slack.uploadFile as a workflow step: the stored file’s bytes arrive at the fake', async () => {
    const { forge, connectors } = await forgeWithConnectors();
    await connectors.service.connect('slack', { botToken: TOKEN });
    const content = Buffer.from(`quarterly report ${Date.now()}\n`.repeat(200));
    const file = await forge.ingest(Readable.from([content]), { name: 'report.txt' });
    await until(
      () => forge.files.get(file.id),
      (r) => r !== null && FINAL_FILE_STATUSES.includes(r.status),
    );
    const workflow = await forge.workflows.define({
      name: 'share-to-slack',
      on: { manual: true },
      steps: {
        share: {
          uses: 'connector.slack.uploadFile',
          with: { channel: 'C0GENERAL01', initialComment: '{{ file.name }} processed' },
        },
      },
    });
    const { id } = await forge.workflows.run(workflow.id, { fileId: file.id });
    const run = await until<WorkflowRun>(
      () => forge.workflows.getRun(id),
      (r) => ['completed', 'failed', 'cancelled'].includes(r.status),
    );
    expect(run.status).toBe('completed');
    const output = run.steps[0]?.output as { success: boolean; data: { fileId: string } };
    expect(output).toMatchObject({ success: true, attempt: 1 });
    const upload = fake.uploads.get(output.data.fileId)!;
    expect(upload.bytes?.equals(content)).toBe(true);
    expect(upload).toMatchObject({ filename: 'report.txt', length: content.length, completed: true });
    expect(fake.messages.at(-1)).toMatchObject({
      channel: 'C0GENERAL01',
      text: 'report.txt processed',
      files: [upload.fileId],
    });
  });

  it('fails the step with the connector’s error code when Slack refuses', async () => {
    const { forge, connectors } = await forgeWithConnectors();
    await connectors.service.connect('slack', { botToken: TOKEN });
    const workflow = await forge.workflows.define({
      name: 'notify',
      on: { manual: true },
      steps: { say: { uses: 'connector.slack.postMessage', with: { channel: 'C_ARCHIVED', text: 'hi' } } },
    });
    fake.addChannel({ id: 'C_ARCHIVED', name: 'old', isArchived: true });
    const { id } = await forge.workflows.run(workflow.id);
    const run = await until<WorkflowRun>(
      () => forge.workflows.getRun(id),
      (r) => ['completed', 'failed', 'cancelled'].includes(r.status),
    );
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.steps[0])).toContain('INTEGRATION_REJECTED');
    expect(JSON.stringify(run.steps[0])).toContain('is_archived');
  });
});
