import { afterEach, describe, expect, it } from 'vitest';
import { openForge, type Receiver, removeDir, startReceiver, until } from './webhooks-support.js';

describe('webhook delivery across a restart', () => {
  let receiver: Receiver;
  const dirs: string[] = [];

  afterEach(async () => {
    await receiver?.close();
    for (const dir of dirs.splice(0)) await removeDir(dir);
  });

  it('resumes pending attempts on the next start: nothing lost, no attempt sent twice', async () => {
    receiver = await startReceiver();
    // Every message fails twice, then succeeds; the schedule is slow enough to close in between.
    const seen = new Map<string, number>();
    receiver.respond = (r) => {
      const id = String(r.headers['webhook-id']);
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      return n <= 2 ? { status: 500 } : { status: 200 };
    };
    const options = { retrySchedule: [300, 300, 300] };
    const first = await openForge(options);
    dirs.push(first.dataDir);
    const { subscription, secret } = await first.hooks.service.subscribe({
      name: 'r',
      url: receiver.url,
      events: ['*'],
    });
    receiver.secrets.push(secret);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await first.hooks.service.emit('invoice.paid', { i })).messageId);
    await until(() => receiver.received.length >= 20); // first attempts out, retries scheduled
    await first.close();
    const sentBeforeRestart = receiver.received.length;

    const second = await openForge(options, { dataDir: first.dataDir });
    try {
      await until(() => [...seen.values()].filter((n) => n >= 3).length === 20, 15_000);
      await new Promise((r) => setTimeout(r, 400));
      // Each message: exactly three requests (two failures, one success), all verified.
      expect(ids.map((id) => seen.get(id))).toEqual(ids.map(() => 3));
      expect(receiver.received).toHaveLength(60);
      expect(sentBeforeRestart).toBeLessThan(60);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      // The history agrees: per message attempts 1, 2, 3, each sent once.
      const history = [];
      let cursor: string | undefined;
      do {
        const page = await second.hooks.service.deliveries(subscription.id, {
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        history.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(history).toHaveLength(60);
      expect(history.filter((a) => a.status === 'succeeded')).toHaveLength(20);
      const keys = history.map((a) => `${a.messageId}/${a.attempt}`);
      expect(new Set(keys).size).toBe(60);
    } finally {
      await second.close();
    }
  });
});
