import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { childScript, runChild } from '../lib/child.js';
import { coldFigures, type WarmSample } from '../lib/cold.js';
import { alternate, type Sample, summarise } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';

/** Messages delivered per measured run. */
const MESSAGES = 5000;
/** Attempts in flight on both sides, and callers emitting at once on FileForge's. */
const CONCURRENCY = 16;
/**
 * Messages each side sends before its timed ones, the first {@link MESSAGES} of them timed as
 * the cold figure (see `lib/cold.ts`).
 */
const WARMUP = 10_000;
/** Messages queued for a receiver that is down, for the memory reading. */
const QUEUED = 10_000;

interface QueuedMark {
  queued: number;
  rss: number;
  heapUsed: number;
}

/** A receiver on 127.0.0.1 answering 204 to every POST; counts what it got. */
async function startReceiver() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The part of a child's answer a run keeps: its warm time (the cold one is kept aside). */
const timed = (sample: Sample): Sample => ({
  bytes: 0,
  files: sample.files,
  ms: sample.ms,
  peakRssBytes: sample.peakRssBytes,
});

/** A URL where nothing listens (connections refused). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks`;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * Webhook delivery, each run a fresh child on bare `node` against the built packages:
 * 5,000 messages emitted by 16 callers at once (as events of many files arrive in real use;
 * each caller awaits its `emit()` before the next), each recorded with its attempt in the
 * catalog, signed (Standard Webhooks), POSTed to a local receiver and its success recorded,
 * 16 sends in flight; beside a bare undici loop POSTing the same bodies to the same receiver
 * from 16 workers at once (target 0.5×). Both are timed from the first send (emit) to the last
 * 2xx (recorded), after 10,000 messages of warm-up; the first 5,000 of each process are
 * reported too (`… cold`). For information, the same FileForge run with one caller emitting one message
 * after another (`1 emitter`), where every message waits for a commit of its own; and the floor
 * under any sender that signs and durably records each delivery (`durable floor`): the same
 * messages, callers and sends in flight, hand-written on better-sqlite3 (FileForge's tables, one
 * shared commit per turn, no checkpoints), `node:crypto` and undici, timed the same way. Its ratio
 * to the baseline is the most this target's ratio can be on the machine. Then, once,
 * 10,000 messages queued for a receiver that is down: RSS and heap after 1,000, 5,000 and
 * 10,000 (flat: the queue lives in the catalog).
 */
export const webhooksSuite: Suite = {
  name: 'webhooks',
  summary: `${MESSAGES} signed, durably recorded webhook deliveries (${CONCURRENCY} callers emitting, ${CONCURRENCY} sends in flight) vs a bare undici POST loop of the same bodies (${CONCURRENCY} in flight), each after ${WARMUP} warm-up messages; the first ${MESSAGES} of each process (cold) for information; memory with ${QUEUED} messages queued for a dead receiver`,
  unit: 'deliveries/s',
  targets: { minRatio: 0.5 },
  async run({ dir, runs, log }) {
    const receiver = await startReceiver();
    const cold = coldFigures(`first ${MESSAGES} messages`, 'deliveries/s');
    /** Runs a sender child with its own catalog in `dir/<name>`: `producers` callers emitting. */
    const sender = async (script: string, name: string, producers: number): Promise<WarmSample> => {
      const dataDir = join(dir, name);
      await mkdir(dataDir, { recursive: true });
      return runChild<WarmSample>(childScript(script), [
        dataDir,
        receiver.url,
        String(MESSAGES),
        String(CONCURRENCY),
        String(producers),
        String(WARMUP),
      ]);
    };
    try {
      const measured = await alternate(
        runs,
        {
          async fileforge(round) {
            return timed(
              cold.keep(
                'fileforge',
                await sender('webhooks-fileforge.mjs', `fileforge-${round}`, CONCURRENCY),
              ),
            );
          },
          /** Information only: one caller emitting one message after another (a commit per message). */
          async emitter1(round) {
            return timed(await sender('webhooks-fileforge.mjs', `fileforge-emitter1-${round}`, 1));
          },
          /**
           * Information only: the floor, a hand-written sender that signs and durably records
           * each delivery on FileForge's own tables with nothing else (`webhooks-floor.mjs`).
           */
          async floor(round) {
            return timed(await sender('webhooks-floor.mjs', `floor-${round}`, CONCURRENCY));
          },
          async baseline() {
            const sample = cold.keep(
              'baseline',
              await runChild<WarmSample>(childScript('webhooks-baseline.mjs'), [
                receiver.url,
                String(MESSAGES),
                String(CONCURRENCY),
                String(WARMUP),
              ]),
            );
            return timed(sample);
          },
        },
        log,
        'deliveries/s',
      );
      const [fileforge, floor, baseline] = [measured.fileforge, measured.floor, measured.baseline].map(
        (runsOf) => summarise(runsOf, 'deliveries/s')?.throughput,
      );
      if (fileforge && floor && baseline) {
        log(
          `  durable floor: ${floor.toFixed(1)} vs baseline ${baseline.toFixed(1)} deliveries/s, ratio ` +
            `${(floor / baseline).toFixed(2)} (the most the target's ratio can be here); ` +
            `fileforge ${(fileforge / floor).toFixed(2)} × the floor (information)`,
        );
      }
      const queuedDir = join(dir, 'queued');
      await mkdir(queuedDir, { recursive: true });
      const queued = await runChild<Sample & { marks: QueuedMark[] }>(childScript('webhooks-queued.mjs'), [
        queuedDir,
        await deadUrl(),
        String(QUEUED),
      ]);
      for (const m of queued.marks) {
        log(
          `  queued for a dead receiver: ${m.queued} pending → RSS ${mib(m.rss)} MB, heap used ${mib(m.heapUsed)} MB`,
        );
      }
      return {
        input: {
          label: `${MESSAGES} messages × ~1 KB`,
          messages: MESSAGES,
          warmupMessages: WARMUP,
          concurrency: CONCURRENCY,
          queuedForDeadReceiver: queued.marks,
          queuedPeakRssBytes: queued.peakRssBytes,
        },
        runs: {
          fileforge: measured.fileforge,
          baseline: measured.baseline,
          extra: {
            '1 emitter': measured.emitter1,
            'durable floor (hand-written)': measured.floor,
            ...cold.extra(log),
          },
        },
      };
    } finally {
      await receiver.close();
    }
  },
};
