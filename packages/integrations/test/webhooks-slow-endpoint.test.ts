/**
 * A receiver that hangs must not stall deliveries to the others until its requests time out
 * (issue 11): its sends stop taking the sender's slots once they have waited `slowSendMs`,
 * and while the slots are full it gets no more than its share of them.
 */
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookServiceOptions } from '../src/index.js';
import {
  openForge,
  type Receiver,
  removeDir,
  startReceiver,
  type TestForge,
  until,
} from './webhooks-support.js';

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

/** A receiver that never answers (until closed). */
async function startHangingReceiver() {
  const receiver = await startReceiver();
  receiver.respond = () => ({ status: 204, delayMs: 600_000 });
  return receiver;
}

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('a slow endpoint among others, catalog on %s', (_, onPostgres) => {
  const open: Array<{ t?: TestForge; receivers: Receiver[]; drop?: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const { t, receivers, drop } of open.splice(0)) {
      // The receivers go first: their held requests fail at once, so close() need not wait for them.
      for (const r of receivers) await r.close();
      await t?.close();
      if (t) await removeDir(t.dataDir);
      await drop?.();
    }
  });

  /** A forge on this case's catalog, closed (with `receivers`) after the test. */
  async function forgeWith(options: Partial<WebhookServiceOptions>, receivers: Receiver[]) {
    const schema = onPostgres ? postgresTestSchema() : undefined;
    const entry: (typeof open)[number] = { receivers, ...(schema ? { drop: schema.drop } : {}) };
    open.push(entry);
    entry.t = await openForge(options, schema ? { databaseUrl: schema.url } : {});
    return entry.t;
  }

  it.skipIf(onPostgres && !postgres)(
    'delivers to a quick receiver while a hanging one holds the first sends, well before they time out',
    async () => {
      const hanging = await startHangingReceiver();
      const quick = await startReceiver();
      const t = await forgeWith({ concurrency: 4, slowSendMs: 200, timeoutMs: 20_000 }, [hanging, quick]);
      const service = t.hooks.service;
      await service.subscribe({ name: 'hanging', url: hanging.url, events: ['report.*'] });
      await service.subscribe({ name: 'quick', url: quick.url, events: ['invoice.*'] });

      // Twelve messages for the hanging receiver first: they fill every slot, and more wait behind.
      for (let i = 0; i < 12; i++) await service.emit('report.ready', { i });
      await until(() => hanging.received.length === 4, 5_000);
      for (let i = 0; i < 5; i++) await service.emit('invoice.paid', { i });

      // Before, these waited for the hanging sends' 20 s timeout; now they go once those have waited 200 ms.
      await until(() => quick.received.length === 5, 10_000);
      expect(quick.received.map((r) => JSON.parse(r.body).data.i).sort()).toEqual([0, 1, 2, 3, 4]);
      // The hanging receiver got no more than the slots it held: its share is taken.
      expect(hanging.received.length).toBe(4);
    },
  );

  it.skipIf(onPostgres && !postgres)(
    'still sends to a lone slow receiver with every slot, not just its share',
    async () => {
      const slow = await startReceiver();
      let holding = 0;
      let most = 0;
      let answered = 0;
      // Answers take 400 ms, past slowSendMs: the endpoint is slow from its first sends on.
      slow.respond = () => {
        holding++;
        most = Math.max(most, holding);
        setTimeout(() => {
          holding--;
          answered++;
        }, 400);
        return { status: 204, delayMs: 400 };
      };
      const t = await forgeWith({ concurrency: 4, slowSendMs: 100 }, [slow]);
      await t.hooks.service.subscribe({ name: 'slow', url: slow.url, events: ['*'] });
      for (let i = 0; i < 12; i++) await t.hooks.service.emit('invoice.paid', { i });
      await until(() => answered === 12, 15_000);
      expect(most).toBe(4);
    },
  );
});
