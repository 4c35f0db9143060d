/**
 * The event outbox with several processes on one catalog (issue 13): every process runs its
 * own dispatcher over the shared outbox. Here two dispatchers, each on a connection (pool) of
 * its own as two processes are, share one SQLite file or one PostgreSQL schema. Each event
 * must reach exactly one dispatcher's bus, once, and the events of one stream (file) in order
 * across both: a later one only after the earlier one's listeners finished.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Catalog,
  createOutboxDispatcher,
  createPostgresCatalog,
  createSqliteCatalog,
  EventBus,
  type FileEvent,
  type OutboxDispatcher,
} from '@fileforge/core';
import { sampleFile } from '@fileforge/core/testing';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { describe, expect, it } from 'vitest';

interface Shared {
  /** Two catalogs on one database, as two processes open it. */
  catalogs: [Catalog, Catalog];
  teardown(): Promise<void>;
}

const STREAMS = 6;
const PER_STREAM = 6;
const files = Array.from({ length: STREAMS }, () => sampleFile());

/** Appends event `index` of every stream, the way state changes do. */
async function appendRound(catalog: Catalog, index: number): Promise<void> {
  for (const [s, file] of files.entries()) {
    const eventId = `evt_${s}_${index}`;
    const payload: FileEvent & { index: number } = {
      eventId,
      tenant: file.tenant,
      file,
      timestamp: file.createdAt,
      index,
    };
    await catalog.outbox.append({
      id: eventId,
      type: 'file.processed',
      stream: `${file.tenant}/${file.id}`,
      payload,
      createdAt: file.createdAt,
    });
  }
}

interface Heard {
  by: string;
  eventId: string;
  stream: number;
  index: number;
  start: number;
  end: number;
}

function scaleOutCases(open: () => Promise<Shared>): void {
  // Generous timeouts: a PostgreSQL schema is created and migrated per test, and CI is shared.
  it('hands each event to one dispatcher once, each stream in order across both', {
    timeout: 30_000,
  }, async () => {
    const { catalogs, teardown } = await open();
    const heard: Heard[] = [];
    let clock = 0; // a logical clock shared by both "processes" (same test process)
    const dispatchers: OutboxDispatcher[] = [];
    try {
      for (const [i, catalog] of catalogs.entries()) {
        const by = `process-${i}`;
        const bus = new EventBus({ onListenerError: (error) => expect.fail(String(error)) });
        bus.on('file.processed', async (event) => {
          const { eventId, index } = event as FileEvent & { index: number };
          const start = clock++;
          // Yield to the other dispatcher while this listener runs.
          await new Promise((resolve) => setTimeout(resolve, 2));
          heard.push({ by, eventId, stream: Number(eventId.split('_')[1]), index, start, end: clock++ });
        });
        const dispatcher = createOutboxDispatcher({ store: catalog.outbox, bus, batchSize: 4 });
        dispatchers.push(dispatcher);
        dispatcher.start();
      }
      // Events are committed by either process while both deliver.
      const passes: Promise<void>[] = [];
      for (let index = 0; index < PER_STREAM; index++) {
        await appendRound(catalogs[index % 2]!, index);
        passes.push(...dispatchers.map((d) => d.deliver()));
      }
      await Promise.all(passes);
      for (let round = 0; round < 50 && (await catalogs[0].outbox.countUndelivered()) > 0; round++) {
        await Promise.all(dispatchers.map((d) => d.deliver()));
      }
      expect(await catalogs[0].outbox.countUndelivered()).toBe(0);

      // Exactly once: every event id heard once, by one dispatcher.
      const ids = heard.map((h) => h.eventId).sort();
      const expected = files
        .flatMap((_, s) => Array.from({ length: PER_STREAM }, (_, i) => `evt_${s}_${i}`))
        .sort();
      expect(ids).toEqual(expected);

      // In order per stream: each event started after the previous one of its stream ended.
      for (let s = 0; s < STREAMS; s++) {
        const ofStream = heard.filter((h) => h.stream === s).sort((a, b) => a.start - b.start);
        expect(ofStream.map((h) => h.index)).toEqual(Array.from({ length: PER_STREAM }, (_, i) => i));
        for (let i = 1; i < ofStream.length; i++) {
          expect(ofStream[i]!.start).toBeGreaterThan(ofStream[i - 1]!.end);
        }
      }
    } finally {
      for (const d of dispatchers) await d.close();
      await teardown();
    }
  });

  it("delivers a stopped process's claimed events from another process once its lease expires, not before", {
    timeout: 30_000,
  }, async () => {
    const { catalogs, teardown } = await open();
    const dispatchers: OutboxDispatcher[] = [];
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    let clockB = Date.now();
    try {
      // Process A takes the first event and hangs in its listener (as a process that stopped).
      const busA = new EventBus();
      const heardA: string[] = [];
      busA.on('file.processed', async (event) => {
        heardA.push(event.eventId);
        await stuck;
      });
      const a = createOutboxDispatcher({
        store: catalogs[0].outbox,
        bus: busA,
        leaseMs: 60_000,
        listenerTimeoutMs: 600_000,
      });
      dispatchers.push(a);
      await appendRound(catalogs[0], 0);
      a.start(); // its first pass claims the whole round (one batch)
      for (let i = 0; i < 2000 && heardA.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(heardA).toEqual(['evt_0_0']);
      // B's clock starts after A's claim, so A's lease ends before B's clock is 61 s later.
      clockB = Date.now();

      // Process B, with its own clock: nothing of A's claim (the first batch) while A's lease lasts.
      const busB = new EventBus();
      const heardB: string[] = [];
      busB.on('file.processed', (event) => {
        heardB.push(event.eventId);
      });
      const b = createOutboxDispatcher({ store: catalogs[1].outbox, bus: busB, now: () => clockB });
      dispatchers.push(b);
      b.start();
      await b.deliver();
      expect(heardB).toEqual([]);

      // Past A's lease, B delivers them all, in order.
      clockB += 61_000;
      await b.deliver();
      expect(heardB).toEqual(files.map((_, s) => `evt_${s}_0`));
      expect(await catalogs[1].outbox.countUndelivered()).toBe(0);
    } finally {
      release();
      for (const d of dispatchers) await d.close();
      await teardown();
    }
  });
}

describe('event outbox, two processes on one SQLite file', () => {
  scaleOutCases(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-outbox-scale-'));
    const path = join(dir, 'catalog.db');
    const first = createSqliteCatalog({ path });
    await first.migrate();
    const second = createSqliteCatalog({ path });
    return {
      catalogs: [first, second],
      async teardown() {
        await first.close();
        await second.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
});

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

describe.skipIf(!postgres)('event outbox, two processes on one PostgreSQL schema', () => {
  scaleOutCases(async () => {
    const { url, drop } = postgresTestSchema();
    const first = createPostgresCatalog({ url, max: 2 });
    await first.migrate();
    const second = createPostgresCatalog({ url, max: 2 });
    return {
      catalogs: [first, second],
      async teardown() {
        await first.close();
        await second.close();
        await drop();
      },
    };
  });
});
