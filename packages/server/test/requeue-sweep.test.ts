/**
 * Issue 12: a file whose processing job could not be queued after its record committed (the
 * upload was answered 503 QUEUE_UNAVAILABLE) is processed once the queue is back, without a
 * restart, by the server's periodic re-queue (REQUEUE_INTERVAL_MINUTES). The queue is made to
 * fail through a wrapper injected into createForge, as in upload-unavailable.test.ts.
 */
import { type JobQueue, loadConfig, openQueue } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { serverOptionsFromConfig } from '../src/commands/server-options.js';
import { requeueUnfinished } from '../src/requeue-sweep.js';
import { eventually, startTestServer, stopTestServers, type TestServer } from './support/server.js';

afterEach(stopTestServers);

/** A queue whose `enqueue` fails while `state.failing` is set; `state.calls` counts every enqueue. */
function flakyQueue(real: JobQueue, state: { failing: boolean; calls: number }): JobQueue {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'enqueue') {
        return (...args: Parameters<JobQueue['enqueue']>) => {
          state.calls++;
          if (state.failing) return Promise.reject(new Error('queue unreachable (injected)'));
          return target.enqueue(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Uploads one text file while the queue fails: 503 QUEUE_UNAVAILABLE, the record kept pending. */
async function uploadWhileQueueDown(ts: TestServer, state: { failing: boolean }): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob(['stored, not queued\n'], { type: 'text/plain' }), 'kept.txt');
  state.failing = true;
  const res = await ts.api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status).toBe(503);
  const body = (await res.json()) as { error: { code: string; details: { stored: Array<{ id: string }> } } };
  expect(body.error.code).toBe('QUEUE_UNAVAILABLE');
  return body.error.details.stored[0]!.id;
}

const statusOf = async (ts: TestServer, id: string) =>
  (await ts.forge.catalog.files.get('default', id))?.status;

describe('the periodic re-queue (issue 12)', () => {
  it('processes a file whose job could not be queued once the queue is back, without a restart, and only once', {
    timeout: 60_000,
  }, async () => {
    const state = { failing: false, calls: 0 };
    const ts = await startTestServer(
      { queue: (catalog, hooks) => flakyQueue(openQueue({ store: catalog.jobs, ...hooks }), state) },
      { requeue: { intervalMs: 100, graceMs: 0 } },
    );
    let processed = 0;
    ts.forge.events.on('file.processed', () => {
      processed++;
    });
    const id = await uploadWhileQueueDown(ts, state);

    // While the queue stays down, the sweeps' requests fail too (logged, tried again) and the
    // record waits, pending, its blob kept.
    const before = state.calls;
    await eventually(async () => (state.calls >= before + 2 ? true : undefined), 'no sweep ran', {
      timeoutMs: 20_000,
    });
    expect(await statusOf(ts, id)).toBe('pending');

    state.failing = false;
    await eventually(
      async () => ((await statusOf(ts, id)) === 'processed' ? true : undefined),
      'never processed',
      {
        timeoutMs: 30_000,
      },
    );
    // More sweeps run; the file is final, so nothing is requested for it again.
    const after = state.calls;
    await new Promise((r) => setTimeout(r, 500));
    expect(state.calls).toBe(after);
    await ts.forge.queue.onIdle();
    expect(await statusOf(ts, id)).toBe('processed');
    expect(processed).toBe(1);
    const download = await ts.api(`/api/v1/files/${id}/download`);
    expect(await download.text()).toBe('stored, not queued\n');
  });

  it('leaves records younger than the grace period alone, and finished ones', {
    timeout: 60_000,
  }, async () => {
    const state = { failing: false, calls: 0 };
    const ts = await startTestServer(
      { queue: (catalog, hooks) => flakyQueue(openQueue({ store: catalog.jobs, ...hooks }), state) },
      { requeue: false },
    );
    const id = await uploadWhileQueueDown(ts, state);
    state.failing = false;
    const record = (await ts.forge.catalog.files.get('default', id))!;
    const changedAt = Date.parse(record.updatedAt);
    const calls = state.calls;

    const young = await requeueUnfinished(ts.forge, { graceMs: 60_000, now: () => changedAt + 59_000 });
    expect(young).toEqual([]);
    expect(state.calls).toBe(calls);
    expect(await statusOf(ts, id)).toBe('pending');

    const old = await requeueUnfinished(ts.forge, { graceMs: 60_000, now: () => changedAt + 61_000 });
    expect(old).toEqual([{ tenant: 'default', id }]);
    await eventually(
      async () => ((await statusOf(ts, id)) === 'processed' ? true : undefined),
      'never processed',
      {
        timeoutMs: 30_000,
      },
    );
    expect(await requeueUnfinished(ts.forge, { graceMs: 0 })).toEqual([]);
  });

  it('is configured by REQUEUE_INTERVAL_MINUTES: 5 by default, 0 disables it, a bad value is refused', () => {
    const base = {
      DATA_DIR: '/tmp/fileforge-requeue-config',
      SECRET_KEY: 'x'.repeat(48),
      JWT_SECRET_KEY: 'y'.repeat(48),
    };
    const secrets = { secretKey: base.SECRET_KEY, jwtSecretKey: base.JWT_SECRET_KEY };
    expect(serverOptionsFromConfig(loadConfig(base), secrets).requeue).toEqual({ intervalMs: 300_000 });
    expect(
      serverOptionsFromConfig(loadConfig({ ...base, REQUEUE_INTERVAL_MINUTES: '0.5' }), secrets).requeue,
    ).toEqual({ intervalMs: 30_000 });
    expect(
      serverOptionsFromConfig(loadConfig({ ...base, REQUEUE_INTERVAL_MINUTES: '0' }), secrets).requeue,
    ).toBe(false);
    expect(() => loadConfig({ ...base, REQUEUE_INTERVAL_MINUTES: 'soon' })).toThrow(
      /REQUEUE_INTERVAL_MINUTES/,
    );
  });
});
