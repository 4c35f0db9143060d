import type { WebhookDisabledEvent } from '@fileforge/core';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpClient } from '../src/http/index.js';
import {
  fakeClock,
  openForge,
  type Receiver,
  removeDir,
  startReceiver,
  type TestForge,
  until,
} from './webhooks-support.js';

describe('WebhookService', () => {
  let receiver: Receiver;
  const opened: TestForge[] = [];
  const open = async (...args: Parameters<typeof openForge>) => {
    const t = await openForge(...args);
    opened.push(t);
    return t;
  };

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    for (const t of opened.splice(0).reverse()) {
      await t.close();
      await removeDir(t.dataDir);
    }
    await receiver.close();
  });

  it('creates, lists, reads, patches and removes subscriptions, per tenant, never showing the secret again', async () => {
    const { hooks } = await open();
    const svc = hooks.service;
    const { subscription, secret } = await svc.subscribe({
      name: ' crm ',
      url: receiver.url,
      events: ['file.*'],
    });
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({
      name: 'crm',
      url: receiver.url,
      events: ['file.*'],
      enabled: true,
      tenant: 'default',
    });
    expect(JSON.stringify(subscription)).not.toContain(secret.slice(6));
    expect(JSON.stringify(await svc.get(subscription.id))).not.toContain('whsec_');

    const patched = await svc.update(subscription.id, { events: ['file.processed', 'workflow.*'] });
    expect(patched).toMatchObject({ name: 'crm', events: ['file.processed', 'workflow.*'] });
    expect((await svc.update(subscription.id, { enabled: false })).disabledReason).toBe('manual');
    expect((await svc.update(subscription.id, { enabled: true })).disabledReason).toBeNull();

    // Another tenant sees nothing of it.
    await expect(svc.get(subscription.id, { tenant: 'acme' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(svc.update(subscription.id, { name: 'x' }, { tenant: 'acme' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(svc.remove(subscription.id, { tenant: 'acme' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await svc.list({ tenant: 'acme' })).items).toEqual([]);
    const other = await svc.subscribe({ name: 'acme', url: receiver.url, events: ['*'], tenant: 'acme' });
    expect((await svc.emit('invoice.paid', {}, { tenant: 'acme' })).subscriptions).toBe(1);

    await svc.subscribe({ name: 'second', url: receiver.url, events: ['*'] });
    await svc.subscribe({ name: 'third', url: receiver.url, events: ['*'] });
    const page1 = await svc.list({ limit: 2 });
    expect(page1.items.map((s) => s.name)).toEqual(['crm', 'second']);
    const page2 = await svc.list({ limit: 2, cursor: page1.nextCursor! });
    expect(page2).toEqual({ items: [expect.objectContaining({ name: 'third' })], nextCursor: null });

    await svc.remove(subscription.id);
    await expect(svc.get(subscription.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await svc.get(other.subscription.id, { tenant: 'acme' })).name).toBe('acme');
  });

  it('loads the outbound client when a subscription is enabled, so the first delivery does not wait for it', async () => {
    const client = createHttpClient({ guard: { allowedHosts: ['127.0.0.1'] } });
    const preload = vi.spyOn(client, 'preload');
    try {
      const svc = (await open({ client })).hooks.service;
      const { subscription } = await svc.subscribe({
        name: 'off',
        url: receiver.url,
        events: ['file.*'],
        enabled: false,
      });
      expect(preload).not.toHaveBeenCalled();
      await svc.update(subscription.id, { name: 'still off' });
      expect(preload).not.toHaveBeenCalled();
      await svc.update(subscription.id, { enabled: true });
      expect(preload).toHaveBeenCalledTimes(1);
      await svc.subscribe({ name: 'on', url: receiver.url, events: ['file.*'] });
      expect(preload).toHaveBeenCalledTimes(2);
      // Loaded once: the next request finds it ready, and deliveries go out.
      await svc.emit('file.processed', { file: { id: 'f1' } });
      await until(() => receiver.received.length === 2);
    } finally {
      await client.close();
    }
  });

  it('refuses bad input with VALIDATION_FAILED', async () => {
    const { hooks } = await open();
    const svc = hooks.service;
    for (const input of [
      { name: '', url: receiver.url, events: ['*'] },
      { name: 'x', url: receiver.url, events: [] },
      { name: 'x', url: receiver.url, events: ['File processed'] },
      { name: 'x', url: 'not a url', events: ['*'] },
    ]) {
      await expect(svc.subscribe(input)).rejects.toMatchObject({
        code: expect.stringMatching(/VALIDATION_FAILED|WEBHOOK_URL_FORBIDDEN/),
      });
    }
    await expect(svc.emit('invoice.paid', 'x'.repeat(21_000))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses loopback endpoints that are not allow-listed (SSRF guard), at subscribe time and at connection time', async () => {
    const guarded = await open({ allowedHosts: [] });
    for (const url of [
      receiver.url,
      receiver.url.replace('127.0.0.1', 'localhost'),
      'http://169.254.169.254/latest',
      'ftp://example.com/',
    ]) {
      await expect(guarded.hooks.service.subscribe({ name: 'x', url, events: ['*'] })).rejects.toMatchObject({
        code: 'WEBHOOK_URL_FORBIDDEN',
      });
    }
    // Subscribed while allowed, then the operator removes the allowance: the connection is refused.
    const allowed = await open();
    const { subscription } = await allowed.hooks.service.subscribe({
      name: 'x',
      url: receiver.url,
      events: ['*'],
    });
    await allowed.close();
    opened.splice(opened.indexOf(allowed), 1);
    const reopened = await open({ allowedHosts: [], retrySchedule: [] }, { dataDir: allowed.dataDir });
    await reopened.hooks.service.emit('invoice.paid', {});
    await reopened.hooks.service.flush();
    const [attempt] = (await reopened.hooks.service.deliveries(subscription.id)).items;
    expect(attempt).toMatchObject({ status: 'failed', responseStatus: 0 });
    expect(attempt!.responseBody).toMatch(/WEBHOOK_URL_FORBIDDEN/);
    expect(receiver.received).toHaveLength(0);
  });

  it('test() sends webhook.test now and returns the attempt; resend() sends the same message again', async () => {
    const { hooks } = await open({ retrySchedule: [] });
    const svc = hooks.service;
    const { subscription, secret } = await svc.subscribe({
      name: 'r',
      url: receiver.url,
      events: ['invoice.*'],
    });
    receiver.secrets.push(secret);
    receiver.respond = () => ({ status: 200, body: 'thanks' });
    const attempt = await svc.test(subscription.id);
    expect(attempt).toMatchObject({
      subscriptionId: subscription.id,
      eventType: 'webhook.test',
      attempt: 1,
      trigger: 'test',
      url: receiver.url,
      status: 'succeeded',
      responseStatus: 200,
      responseBody: 'thanks',
      nextAttemptAt: null,
    });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    expect(receiver.received[0]!.verified).toBe(true);
    expect(JSON.parse(receiver.received[0]!.body).type).toBe('webhook.test');

    receiver.respond = () => ({ status: 500, body: 'x'.repeat(30_000) });
    const { messageId } = await svc.emit('invoice.paid', {});
    await svc.flush();
    const [failed] = (await svc.deliveries(subscription.id)).items;
    expect(failed).toMatchObject({ messageId, status: 'failed', responseStatus: 500 });
    expect(failed!.responseBody).toHaveLength(20 * 1024);

    receiver.respond = () => ({ status: 204 });
    const resent = await svc.resend(subscription.id, failed!.id);
    expect(resent).toMatchObject({
      messageId,
      attempt: 2,
      trigger: 'manual',
      status: 'succeeded',
      responseStatus: 204,
    });
    expect(receiver.received.at(-1)!.headers['webhook-id']).toBe(messageId);
    expect(receiver.received.at(-1)!.body).toBe(receiver.received.at(-2)!.body);
    await expect(svc.resend(subscription.id, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a resend that gets through drops the retries still planned: the receiver gets the message once more, not twice (review)', async () => {
    const { hooks } = await open({ retrySchedule: [300] });
    const svc = hooks.service;
    const { subscription, secret } = await svc.subscribe({ name: 'r', url: receiver.url, events: ['*'] });
    receiver.secrets.push(secret);
    receiver.respond = () => ({ status: 500 });
    await svc.emit('invoice.paid', {});
    await until(async () => (await svc.deliveries(subscription.id)).items.length === 2);
    const [planned, failed] = (await svc.deliveries(subscription.id)).items;
    expect([planned!.status, failed!.status]).toEqual(['pending', 'failed']);
    receiver.respond = () => ({ status: 204 });
    expect(await svc.resend(subscription.id, failed!.id)).toMatchObject({ status: 'succeeded' });
    await new Promise((r) => setTimeout(r, 600)); // past the planned retry's time
    await svc.flush();
    expect(receiver.received).toHaveLength(2);
    const items = (await svc.deliveries(subscription.id)).items;
    expect(items.map((a) => [a.trigger, a.status])).toEqual([
      ['manual', 'succeeded'],
      ['scheduled', 'failed'],
    ]);
  });

  it('pages the delivery history newest first and filters it by status', async () => {
    const { hooks } = await open({ retrySchedule: [] });
    const svc = hooks.service;
    const { subscription } = await svc.subscribe({ name: 'r', url: receiver.url, events: ['*'] });
    receiver.respond = (_r, i) => ({ status: i % 2 === 0 ? 200 : 400 });
    for (let i = 0; i < 7; i++) await svc.test(subscription.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await svc.deliveries(subscription.id, { limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect((await svc.deliveries(subscription.id, { status: 'failed' })).items).toHaveLength(3);
    expect((await svc.deliveries(subscription.id, { status: 'succeeded' })).items).toHaveLength(4);
    expect((await svc.deliveries(subscription.id, { status: 'pending' })).items).toHaveLength(0);
  });

  it('rotates the secret: both sign for 24 h, then only the new one', async () => {
    const clock = fakeClock();
    const { hooks } = await open({}, { now: clock.now });
    const svc = hooks.service;
    const { subscription, secret: oldSecret } = await svc.subscribe({
      name: 'r',
      url: receiver.url,
      events: ['*'],
    });
    const rotated = await svc.rotateSecret(subscription.id);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.subscription.previousSecretExpiresAt).toBe(
      new Date(clock.now() + 86_400_000).toISOString(),
    );

    const expected = (secret: string, r: (typeof receiver.received)[number]) =>
      new Webhook(secret).sign(
        String(r.headers['webhook-id']),
        new Date(Number(r.headers['webhook-timestamp']) * 1000),
        r.body,
      );
    await svc.test(subscription.id);
    const during = receiver.received.at(-1)!;
    expect(during.signatures).toHaveLength(2);
    expect(during.signatures).toContain(expected(rotated.secret, during));
    expect(during.signatures).toContain(expected(oldSecret, during));
    // A receiver that knows either secret verifies it.
    receiver.secrets = [oldSecret];
    await svc.test(subscription.id);
    expect(receiver.received.at(-1)!.verified).toBe(true);

    clock.advance(86_400_000 + 1000);
    await svc.test(subscription.id);
    const after = receiver.received.at(-1)!;
    expect(after.signatures).toEqual([expected(rotated.secret, after)]);
  });

  it('auto-disables an endpoint after 5 days of nothing but failures; any success clears the clock', async () => {
    const clock = fakeClock();
    const day = 86_400_000;
    const { forge, hooks } = await open({ retrySchedule: [60_000] }, { now: clock.now });
    const disabled: WebhookDisabledEvent[] = [];
    forge.events.on('webhook.disabled', (e) => {
      disabled.push(e);
    });
    const svc = hooks.service;
    const { subscription } = await svc.subscribe({ name: 'r', url: receiver.url, events: ['*'] });
    receiver.respond = () => ({ status: 500 });
    const failOnce = async () => {
      await svc.emit('invoice.paid', {});
      await svc.flush();
    };
    await failOnce();
    const since = (await svc.get(subscription.id)).failingSince;
    expect(since).toBe(new Date(clock.now()).toISOString());
    clock.advance(3 * day);
    await failOnce();
    expect((await svc.get(subscription.id)).failingSince).toBe(since);

    receiver.respond = () => ({ status: 200 });
    await svc.test(subscription.id);
    expect((await svc.get(subscription.id)).failingSince).toBeNull();

    receiver.respond = () => ({ status: 500 });
    clock.advance(day);
    await failOnce(); // the clock starts again here
    clock.advance(5 * day - 1000);
    await failOnce();
    expect((await svc.get(subscription.id)).enabled).toBe(true);
    clock.advance(1000);
    await failOnce();
    expect(await svc.get(subscription.id)).toMatchObject({ enabled: false, disabledReason: 'failing' });
    await until(() => disabled.length === 1);
    expect(disabled[0]).toMatchObject({ webhookId: subscription.id, reason: 'failing' });
    // Re-enabling clears the reason and the clock.
    expect(await svc.update(subscription.id, { enabled: true })).toMatchObject({
      disabledReason: null,
      failingSince: null,
    });
  });

  it('runs the webhook workflow step: one signed POST to a subscribed URL, webhook-id from the idempotency key', async () => {
    const { forge, hooks } = await open();
    const { secret } = await hooks.service.subscribe({
      name: 'r',
      url: receiver.url,
      events: ['workflow.never'],
    });
    receiver.secrets.push(secret);
    const workflow = await forge.workflows.define({
      name: 'notify',
      on: { manual: true },
      steps: {
        ping: { uses: 'webhook', with: { url: receiver.url, event: 'invoice.received', data: { n: 1 } } },
      },
    });
    const run = await forge.workflows.run(workflow.id);
    await until(async () => ['completed', 'failed'].includes((await forge.workflows.getRun(run.id)).status));
    const done = await forge.workflows.getRun(run.id);
    expect(done.status).toBe('completed');
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.verified).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ type: 'invoice.received', data: { n: 1 } });
    expect(got.headers['webhook-id']).toMatch(/^msg_/);

    // A URL no subscription has is refused (nothing to sign with).
    const stray = await forge.workflows.define({
      name: 'stray',
      on: { manual: true },
      steps: { ping: { uses: 'webhook', with: { url: 'http://127.0.0.1:9/x', data: {} } } },
    });
    const strayRun = await forge.workflows.run(stray.id);
    await until(async () =>
      ['completed', 'failed'].includes((await forge.workflows.getRun(strayRun.id)).status),
    );
    expect((await forge.workflows.getRun(strayRun.id)).status).toBe('failed');
  });

  it('a retried webhook step sends the same webhook-id and the same body bytes; a 410 disables the subscription', async () => {
    const { forge, hooks } = await open();
    const disabled: WebhookDisabledEvent[] = [];
    forge.events.on('webhook.disabled', (e) => {
      disabled.push(e);
    });
    const { subscription, secret } = await hooks.service.subscribe({
      name: 'r',
      url: receiver.url,
      events: ['workflow.never'],
    });
    receiver.secrets.push(secret);
    receiver.respond = (_request, index) => ({ status: index === 0 ? 503 : 204 });
    const step = { uses: 'webhook', with: { url: receiver.url, data: { n: 1 } } };
    const workflow = await forge.workflows.define({
      name: 'retried',
      on: { manual: true },
      steps: { ping: { ...step, retry: { maxRetries: 2, retryDelayMs: 30, jitter: 'none' } } },
    });
    const run = await forge.workflows.run(workflow.id);
    await until(async () => ['completed', 'failed'].includes((await forge.workflows.getRun(run.id)).status));
    expect((await forge.workflows.getRun(run.id)).status).toBe('completed');
    const [first, second] = receiver.received;
    expect(receiver.received).toHaveLength(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    expect(second!.verified).toBe(true);

    receiver.respond = () => ({ status: 410 });
    const gone = await forge.workflows.run(workflow.id);
    await until(async () => ['completed', 'failed'].includes((await forge.workflows.getRun(gone.id)).status));
    expect((await forge.workflows.getRun(gone.id)).status).toBe('failed');
    expect(await hooks.service.get(subscription.id)).toMatchObject({
      enabled: false,
      disabledReason: 'gone',
    });
    await until(() => disabled.length === 1);
    expect(disabled[0]).toMatchObject({ webhookId: subscription.id, reason: 'gone' });
  });

  it('hands out the service only after start, and refuses it after close', async () => {
    const { createWebhooksExtension } = await import('../src/index.js');
    const hooks = createWebhooksExtension({ secretKey: 'x'.repeat(32) });
    expect(() => hooks.service).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => createWebhooksExtension({ secretKey: 'short' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => createWebhooksExtension({ secretKey: 'x'.repeat(32), jitter: 2 })).toThrow(/jitter/);
    const t = await open();
    expect(await t.hooks.ready).toBe(t.hooks.service);
    await t.close();
    expect(() => t.hooks.service).toThrow(expect.objectContaining({ code: 'SHUTTING_DOWN' }));
  });
});
