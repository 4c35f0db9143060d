/**
 * "Catalog or queue unreachable → 503, never 201" (issue 12): the catalog or the job queue is
 * made to fail in the middle of an upload, through wrappers injected into `createForge`.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Catalog,
  createForge,
  createSqliteCatalog,
  ErrorCode,
  FileForgeError,
  type JobQueue,
  openQueue,
} from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { listFiles, makeTempDir, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const unreachable = (what: string) =>
  new FileForgeError(ErrorCode.CATALOG_UNAVAILABLE, `[fileforge:test] ${what} unreachable (injected)`);

/** A catalog whose transactions fail while `failing.on` is set. */
function failingCatalog(real: Catalog, failing: { on: boolean }): Catalog {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'transaction' && failing.on) return () => Promise.reject(unreachable('the catalog is'));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A queue whose `enqueue` fails while `failing.on` is set. */
function failingQueue(real: JobQueue, failing: { on: boolean }): JobQueue {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'enqueue' && failing.on)
        return () => Promise.reject(new Error('queue unreachable (injected)'));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function oneFile(name: string, text: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  return form;
}

describe('an upload while the catalog or the queue is unreachable (issue 12)', () => {
  it('answers 503 CATALOG_UNAVAILABLE when the catalog fails at the commit, keeps nothing, leaves the temp area empty', async () => {
    const dataDir = await makeTempDir();
    const failing = { on: false };
    const catalog = failingCatalog(createSqliteCatalog({ path: join(dataDir, 'fileforge.db') }), failing);
    const ts = await startTestServer({ dataDir, catalog });

    failing.on = true;
    const res = await ts.api('/api/v1/files', {
      method: 'POST',
      body: oneFile('lost.txt', 'never committed\n'),
    });
    failing.on = false;

    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; details?: unknown } };
    expect(body.error.code).toBe('CATALOG_UNAVAILABLE');
    expect(body.error.details).toBeUndefined();
    const list = (await (await ts.api('/api/v1/files')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect(await listFiles(ts.uploadFolder)).toEqual([]);
    // The server keeps working once the catalog is back.
    const again = await ts.api('/api/v1/files', { method: 'POST', body: oneFile('later.txt', 'stored\n') });
    expect(again.status).toBe(201);
  });

  it('answers 503 QUEUE_UNAVAILABLE with the stored file in details.stored and Retry-After when processing cannot be queued; the file is processed after a restart', async () => {
    // Not a makeTempDir: it must outlive stopTestServers() for the restart below.
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-queue-down-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const failing = { on: false };
    const ts = await startTestServer({
      dataDir,
      queue: (catalog, hooks) => failingQueue(openQueue({ store: catalog.jobs, ...hooks }), failing),
    });

    failing.on = true;
    const res = await ts.api('/api/v1/files', {
      method: 'POST',
      body: oneFile('kept.txt', 'stored, not queued\n'),
    });
    failing.on = false;

    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe('30');
    const body = (await res.json()) as {
      error: { code: string; message: string; details: { stored: Array<{ id: string; name: string }> } };
    };
    expect(body.error.code).toBe('QUEUE_UNAVAILABLE');
    expect(body.error.message).toMatch(/do not upload them again/);
    expect(body.error.details.stored).toEqual([{ id: expect.any(String), name: 'kept.txt' }]);
    const id = body.error.details.stored[0]!.id;
    // Nothing is lost: the record is there (pending, its blob in place), nothing half-written.
    const record = (await (await ts.api(`/api/v1/files/${id}`)).json()) as { status: string };
    expect(record.status).toBe('pending');
    expect(await readdir(join(ts.uploadFolder, '.tmp')).catch(() => [])).toEqual([]);
    await stopTestServers();

    // On the next start, reconciliation queues it and it is processed.
    const forge = await createForge({ dataDir, processors: defaultProcessors() });
    try {
      await expect
        .poll(async () => (await forge.catalog.files.get('default', id))?.status, { timeout: 20_000 })
        .toBe('processed');
    } finally {
      await forge.close();
    }
  });
});
