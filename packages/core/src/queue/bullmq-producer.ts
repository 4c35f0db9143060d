/**
 * The enqueueing side of the BullMQ queue: one ioredis connection without an offline queue (a
 * command while Redis is away fails at once and never runs later behind the caller's back) and
 * the BullMQ `Queue` on it, loaded and connected on first use; every call is bounded by
 * `commandTimeoutMs` and fails with `QUEUE_UNAVAILABLE`.
 *
 * @module
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { KeyedJobData } from './bullmq-keys.js';

/** The loaded BullMQ module, the producer connection and the queue on it. */
export interface Producer {
  bullmq: typeof import('bullmq');
  client: Redis;
  queue: Queue<KeyedJobData>;
}

const unavailable = (cause: unknown) =>
  new FileForgeError(
    ErrorCode.QUEUE_UNAVAILABLE,
    `[fileforge:queue] Redis did not answer (${cause instanceof Error ? cause.message : String(cause)}); check REDIS_URL and that Redis runs`,
    { cause },
  );

/** Opens the producer lazily; `report` gets connection errors (once each until Redis is back). */
export function createProducer(options: {
  url: string;
  name: string;
  prefix: string;
  commandTimeoutMs: number;
  report: (error: unknown) => void;
  onReady: () => void;
}) {
  const { commandTimeoutMs } = options;
  let opened: Promise<Producer> | undefined;

  /** Rejects with QUEUE_UNAVAILABLE when `work` does not settle within `commandTimeoutMs`. */
  async function bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${commandTimeoutMs} ms`)),
        commandTimeoutMs,
      );
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      throw FileForgeError.is(error) ? error : unavailable(error);
    } finally {
      clearTimeout(timer);
    }
  }

  function open(): Promise<Producer> {
    opened ??= (async () => {
      const [bullmq, { Redis: IORedis }] = await Promise.all([import('bullmq'), import('ioredis')]);
      const client = new IORedis(options.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: commandTimeoutMs,
        lazyConnect: true,
      });
      client.on('error', options.report);
      client.on('ready', options.onReady);
      try {
        await client.connect();
      } catch (error) {
        client.disconnect(); // no reconnecting in the background: the next call tries afresh
        throw error;
      }
      // Created once connected: BullMQ reads the server version through it first.
      const queue = new bullmq.Queue<KeyedJobData>(options.name, {
        connection: client,
        prefix: options.prefix,
      });
      queue.on('error', options.report);
      return { bullmq, client, queue };
    })();
    // A failed first connection is tried again by the next call.
    opened.catch(() => {
      opened = undefined;
    });
    return opened;
  }

  return {
    /** The producer, connected (waits for the first connection; the caller bounds it). */
    open,
    bounded,
    /** The producer if it was opened, without opening it. */
    current: () => opened?.catch(() => undefined) ?? Promise.resolve(undefined),
    /** Drops the producer connection at once (no waiting for Redis). */
    disconnect(): void {
      void opened?.then((producer) => producer.client.disconnect()).catch(() => {});
    },
    async close(): Promise<void> {
      const producer = await opened?.catch(() => undefined);
      await producer?.queue.close().catch(() => {});
      producer?.client.disconnect();
    },
  };
}
