import { Readable } from 'node:stream';
import type { WebhookDisabledEvent } from '@fileforge/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  openForge,
  type Receiver,
  removeDir,
  startReceiver,
  type TestForge,
  until,
} from './webhooks-support.js';

describe('webhook delivery', () => {
  let receiver: Receiver;
  let t: TestForge | undefined;

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await t?.close();
    if (t) await removeDir(t.dataDir);
    t = undefined;
    await receiver.close();
  });

  async function subscribe(events: string[] = ['*']) {
    const { subscription, secret } = await t!.hooks.service.subscribe({
      name: 'receiver',
      url: receiver.url,
      events,
    });
    receiver.secrets.push(secret);
    return subscription;
  }

  it('POSTs a signed JSON message that standardwebhooks verifies, with the agreed headers', async () => {
    t = await openForge();
    await subscribe(['invoice.*']);
    const { messageId, subscriptions } = await t.hooks.service.emit('invoice.paid', { amount: 12 });
    expect(subscriptions).toBe(1);
    await until(() => receiver.received.length === 1);
    const [got] = receiver.received;
    expect(got!.verified).toBe(true);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['user-agent']).toMatch(/^FileForge-Webhooks\/\d+\.\d+\.\d+/);
    expect(got!.headers['webhook-id']).toBe(messageId);
    expect(messageId).toMatch(/^msg_/);
    const body = JSON.parse(got!.body);
    expect(body).toEqual({ type: 'invoice.paid', timestamp: expect.any(String), data: { amount: 12 } });
    expect(Math.abs(Number(got!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
  });

  it("records messages emitted together in the catalog's own transactions (issue 11)", async () => {
    t = await openForge();
    await subscribe();
    const transaction = vi.spyOn(t.forge.catalog, 'transaction');
    // Emitted in one turn: their records share one commit, a transaction of the catalog.
    await Promise.all(Array.from({ length: 4 }, (_, i) => t!.hooks.service.emit('invoice.paid', { i })));
    expect(transaction).toHaveBeenCalled();
    await t.hooks.service.flush();
    expect(receiver.received).toHaveLength(4);
    const history = await t.hooks.service.deliveries((await t.hooks.service.list()).items[0]!.id, {
      status: 'succeeded',
    });
    expect(history.items).toHaveLength(4);
  });

  it('sends nothing for events no subscription matches', async () => {
    t = await openForge();
    await subscribe(['file.deleted']);
    expect((await t.hooks.service.emit('invoice.paid', {})).subscriptions).toBe(0);
    await t.hooks.service.flush();
    expect(receiver.received).toHaveLength(0);
  });

  it('turns bus events into messages, once per event even when the event is delivered again', async () => {
    t = await openForge();
    await subscribe(['file.uploaded']);
    const file = await t.forge.ingest(Readable.from([Buffer.from('hello')]), { name: 'a.txt' });
    await until(() => receiver.received.length === 1);
    const got = receiver.received[0]!;
    expect(got.verified).toBe(true);
    const body = JSON.parse(got.body);
    expect(body.type).toBe('file.uploaded');
    expect(body.data.file.id).toBe(file.id);
    expect(body.data.eventId).toBeUndefined();
    // An at-least-once redelivery of the same event (same eventId) adds no second message.
    const payload = { eventId: 'evt-1', tenant: 'default', file, timestamp: new Date().toISOString() };
    await t.hooks.service.receive('file.uploaded', payload);
    await t.hooks.service.receive('file.uploaded', payload);
    await t.hooks.service.flush();
    expect(receiver.received).toHaveLength(2);
  });

  it('retries a receiver that is down for three attempts: the fourth gets the same webhook-id and bytes', async () => {
    t = await openForge();
    const sub = await subscribe();
    receiver.respond = (_r, i) => (i < 3 ? { status: 503, body: 'down' } : { status: 200, body: 'ok' });
    const { messageId } = await t.hooks.service.emit('invoice.paid', { n: 1 });
    await until(() => receiver.received.length === 4);
    await until(async () => (await t!.hooks.service.deliveries(sub.id)).items[0]?.status === 'succeeded');
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([messageId]));
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    const { items } = await t.hooks.service.deliveries(sub.id);
    expect(items.map((a) => [a.attempt, a.status, a.responseStatus])).toEqual([
      [4, 'succeeded', 200],
      [3, 'failed', 503],
      [2, 'failed', 503],
      [1, 'failed', 503],
    ]);
    expect(items[3]!.responseBody).toBe('down');
    expect(items[3]!.nextAttemptAt).not.toBeNull();
    expect(items[0]!.nextAttemptAt).toBeNull();
    expect((await t.hooks.service.get(sub.id)).failingSince).toBeNull();
  });

  it('gives up after the last attempt of the schedule', async () => {
    t = await openForge({ retrySchedule: [20, 20] });
    const sub = await subscribe();
    receiver.respond = () => ({ status: 500 });
    await t.hooks.service.emit('invoice.paid', {});
    await until(() => receiver.received.length === 3);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.received).toHaveLength(3);
    const { items } = await t.hooks.service.deliveries(sub.id);
    expect(items.map((a) => a.status)).toEqual(['failed', 'failed', 'failed']);
    expect(items[0]!.nextAttemptAt).toBeNull();
  });

  it('counts 3xx as a failure and never follows the redirect', async () => {
    t = await openForge({ retrySchedule: [] });
    const sub = await subscribe();
    receiver.respond = () => ({ status: 302, headers: { location: `${receiver.url}/elsewhere` } });
    await t.hooks.service.emit('invoice.paid', {});
    await t.hooks.service.flush();
    expect(receiver.received.map((r) => r.path)).toEqual(['/hooks']);
    expect((await t.hooks.service.deliveries(sub.id)).items[0]).toMatchObject({
      status: 'failed',
      responseStatus: 302,
    });
  });

  it('records a network error as status 0 with the error text, and a timeout likewise', async () => {
    t = await openForge({ retrySchedule: [], timeoutMs: 200 });
    const sub = await subscribe();
    receiver.respond = () => ({ status: 200, delayMs: 1000 });
    await t.hooks.service.emit('invoice.paid', {});
    await t.hooks.service.flush();
    const [timedOut] = (await t.hooks.service.deliveries(sub.id)).items;
    expect(timedOut).toMatchObject({ status: 'failed', responseStatus: 0 });
    expect(timedOut!.responseBody).toMatch(/200 ms|TIMEOUT/);
    await receiver.close();
    await t.hooks.service.emit('invoice.paid', {});
    await t.hooks.service.flush();
    const [refused] = (await t.hooks.service.deliveries(sub.id)).items;
    expect(refused).toMatchObject({ status: 'failed', responseStatus: 0 });
    expect(refused!.responseBody).toMatch(/ECONNREFUSED/);
  });

  it('a failure finishing after a success starts the failing clock anew: the endpoint stays enabled (review)', async () => {
    t = await openForge({ retrySchedule: [600_000], disableAfterMs: 1000 });
    const disabled: WebhookDisabledEvent[] = [];
    t.forge.events.on('webhook.disabled', (e) => {
      disabled.push(e);
    });
    const sub = await subscribe();
    // A fails (the clock starts); later B succeeds at once while C, sent beside it, fails late.
    receiver.respond = (r) => {
      const which = JSON.parse(r.body).data.which;
      if (which === 'B') return { status: 200 };
      return which === 'A' ? { status: 500 } : { status: 500, delayMs: 300 };
    };
    await t.hooks.service.emit('invoice.paid', { which: 'A' });
    await until(async () => (await t!.hooks.service.get(sub.id)).failingSince !== null);
    await new Promise((r) => setTimeout(r, 1200));
    await Promise.all([
      t.hooks.service.emit('invoice.paid', { which: 'B' }),
      t.hooks.service.emit('invoice.paid', { which: 'C' }),
    ]);
    const sent = async () =>
      (await t!.hooks.service.deliveries(sub.id)).items.filter((a) => a.sentAt !== null).length;
    await until(async () => (await sent()) === 3);
    const after = await t.hooks.service.get(sub.id);
    expect(after).toMatchObject({ enabled: true, disabledReason: null });
    // The clock runs from C's failure, after B's success: not from A's.
    expect(Date.parse(after.failingSince!)).toBeGreaterThan(Date.now() - 1000);
    expect(disabled).toEqual([]);
  });

  it('a success finishing after a failure clears the failing clock (review)', async () => {
    t = await openForge({ retrySchedule: [600_000] });
    const sub = await subscribe();
    receiver.respond = (r) =>
      JSON.parse(r.body).data.which === 'fails' ? { status: 500 } : { status: 200, delayMs: 300 };
    await Promise.all([
      t.hooks.service.emit('invoice.paid', { which: 'succeeds late' }),
      t.hooks.service.emit('invoice.paid', { which: 'fails' }),
    ]);
    await t.hooks.service.flush();
    const items = (await t.hooks.service.deliveries(sub.id)).items.filter((a) => a.sentAt !== null);
    expect(items.map((a) => a.status).sort()).toEqual(['failed', 'succeeded']);
    expect((await t.hooks.service.get(sub.id)).failingSince).toBeNull();
  });

  it('disables an endpoint that answers 410 Gone at once, and publishes webhook.disabled', async () => {
    t = await openForge();
    const disabled: WebhookDisabledEvent[] = [];
    t.forge.events.on('webhook.disabled', (e) => {
      disabled.push(e);
    });
    const sub = await subscribe(['invoice.*']);
    receiver.respond = () => ({ status: 410 });
    await t.hooks.service.emit('invoice.paid', {});
    await until(() => disabled.length === 1);
    expect(disabled[0]).toMatchObject({
      webhookId: sub.id,
      reason: 'gone',
      url: receiver.url,
      tenant: 'default',
    });
    expect(await t.hooks.service.get(sub.id)).toMatchObject({ enabled: false, disabledReason: 'gone' });
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.received).toHaveLength(1);
    expect((await t.hooks.service.emit('invoice.paid', {})).subscriptions).toBe(0);
  });

  it('honours Retry-After on 429/503 within [d, 2d] of the scheduled delay', async () => {
    t = await openForge({ retrySchedule: [10_000, 10_000, 10_000] });
    const sub = await subscribe();
    const answers = [
      { status: 429, headers: { 'retry-after': '3600' } }, // far above 2d: 20 s
      { status: 503, headers: { 'retry-after': '15' } }, // within: 15 s
      { status: 503, headers: { 'retry-after': '1' } }, // below d: 10 s
    ];
    const delays: number[] = [];
    for (const answer of answers) {
      receiver.respond = () => answer;
      const { messageId } = await t.hooks.service.emit('invoice.paid', {});
      await t.hooks.service.flush();
      const attempt = (await t.hooks.service.deliveries(sub.id)).items.find(
        (a) => a.messageId === messageId && a.status === 'failed',
      )!;
      delays.push(Date.parse(attempt.nextAttemptAt!) - Date.parse(attempt.sentAt!));
    }
    expect(delays).toEqual([20_000, 15_000, 10_000]);
  });

  it('keeps delivering other messages while one endpoint is slow', async () => {
    t = await openForge({ concurrency: 4 });
    const slow = await startReceiver();
    try {
      slow.respond = () => ({ status: 200, delayMs: 1500 });
      await t.hooks.service.subscribe({ name: 'slow', url: slow.url, events: ['*'] });
      await subscribe();
      for (let i = 0; i < 3; i++) await t.hooks.service.emit('invoice.paid', { i });
      await until(() => receiver.received.length === 3, 1000);
      expect(slow.received.length).toBeLessThanOrEqual(3);
    } finally {
      await t.close();
      await slow.close();
    }
  });
});
