import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type Forge } from '@fileforge/core';
import { createWebhooksExtension, type WebhooksExtension } from '@fileforge/integrations';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExample, startExample, stopExamples } from '../test-support/run-example.js';

let dataDir: string;
let forge: Forge;
let hooks: WebhooksExtension;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'fileforge-webhook-example-'));
  hooks = createWebhooksExtension({
    secretKey: 'webhook-receiver-example-secret-key',
    allowedHosts: '127.0.0.1',
  });
  forge = await createForge({ dataDir, extensions: [hooks] });
});

afterEach(async () => {
  await stopExamples();
  await forge.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('examples/webhook-receiver', () => {
  it('accepts deliveries FileForge signed with its secret, once per message, and refuses others', async () => {
    const service = hooks.service;
    // Subscribe first (the receiver needs the secret), then point the subscription at it.
    const { subscription, secret } = await service.subscribe({
      name: 'receiver',
      url: 'http://127.0.0.1:9/',
      events: ['invoice.*'],
    });
    const receiver = startExample('webhook-receiver', { WEBHOOK_SECRET: secret, PORT: '0' });
    const [, url] = await receiver.waitFor(/listening on (http:\/\/\S+)/);
    await service.update(subscription.id, { url: url! });

    // FileForge's test message, signed and sent by its sender.
    const test = await service.test(subscription.id);
    expect(test).toMatchObject({ status: 'succeeded', responseStatus: 204 });
    await receiver.waitFor(new RegExp(`received webhook\\.test ${test.messageId}`));

    // An application event, delivered by the delivery loop.
    const { messageId } = await service.emit('invoice.received', { invoice: 'inv-42' });
    await service.flush();
    await receiver.waitFor(new RegExp(`received invoice\\.received ${messageId} \\{"invoice":"inv-42"\\}`));

    // The same message again (a retry keeps its webhook-id): acknowledged, not handled twice.
    const resent = await service.resend(subscription.id, test.id);
    expect(resent).toMatchObject({ status: 'succeeded', responseStatus: 204, messageId: test.messageId });
    await receiver.waitFor(new RegExp(`duplicate ${test.messageId}`));

    // Another subscription has its own secret: the receiver cannot verify it and answers 401.
    const other = await service.subscribe({ name: 'other', url: url!, events: ['invoice.*'] });
    const refused = await service.test(other.subscription.id);
    expect(refused).toMatchObject({ status: 'failed', responseStatus: 401 });
    await receiver.waitFor(new RegExp(`rejected ${refused.messageId}`), { stream: 'stderr' });

    const { stdout } = receiver.output();
    expect(stdout.match(/^received /gm)).toHaveLength(2);
    const stopped = await receiver.stop();
    expect(stopped.code).toBe(0);
  });

  it('refuses to start without WEBHOOK_SECRET and says what to set', async () => {
    const run = await runExample('webhook-receiver', { WEBHOOK_SECRET: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Set WEBHOOK_SECRET');
  });
});
