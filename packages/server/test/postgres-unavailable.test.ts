/**
 * "Losing PostgreSQL mid-test gives 503s, never 201, and recovery after it returns" (issue 13):
 * the server's catalog is the machine's PostgreSQL seen through a loopback TCP proxy the test
 * cuts (connections reset, or accepted and never answered) and restores; the shared server is
 * never touched.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  POSTGRES_TEST_URL,
  type PostgresTestSchema,
  postgresTestSchema,
  requireService,
} from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  listFiles,
  startTestServer,
  stopTestServers,
  type TestServer,
} from './support/server.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const available = await requireService('PostgreSQL', POSTGRES_TEST_URL);

let proxy: TcpProxy | undefined;
let schema: PostgresTestSchema | undefined;
afterEach(async () => {
  await stopTestServers();
  await proxy?.close();
  await schema?.drop();
  proxy = undefined;
  schema = undefined;
});

function oneFile(name: string, text: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  return form;
}

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/**
 * A multipart upload of `chunks` × 64 KiB whose body waits at `pauseAfter` chunks until
 * `resume` is called: by then the server has authenticated the request and is streaming it
 * (far more than socket buffers hold has been read).
 */
function pausedUpload(ts: TestServer, chunks: number, pauseAfter: number) {
  const boundary = 'fileforge-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sent = 0;
  let paused!: () => void;
  const reachedPause = new Promise<void>((resolve) => {
    paused = resolve;
  });
  let resume!: () => void;
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    async pull(controller) {
      if (sent === pauseAfter) {
        paused();
        await resumed;
      }
      if (sent === chunks) {
        controller.enqueue(tail);
        controller.close();
        return;
      }
      sent++;
      controller.enqueue(CHUNK);
    },
  });
  const response = fetch(`${ts.url}/api/v1/files`, {
    method: 'POST',
    headers: { ...ts.authHeaders, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit);
  response.catch(() => {});
  return { response, reachedPause, resume };
}

async function names(ts: TestServer): Promise<string[]> {
  const res = await ts.api('/api/v1/files');
  const list = (await res.json()) as { items: Array<{ name: string }> };
  return list.items.map((f) => f.name).sort();
}

describe.skipIf(!available)('losing PostgreSQL mid-test (issue 13)', () => {
  it('answers 503 CATALOG_UNAVAILABLE (never 201) while the database is cut, keeps nothing half-written, and recovers', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(POSTGRES_TEST_URL).port) || 5432 });
    schema = postgresTestSchema();
    // Short timeouts, so a database that never answers fails requests quickly (never hangs them).
    const url = new URL(proxy.via(schema.url));
    url.searchParams.set('connect_timeout', '1');
    url.searchParams.set('query_timeout', '3000');
    const ts = await startTestServer({ databaseUrl: url.toString() });
    expect(
      (await ts.api('/api/v1/files', { method: 'POST', body: oneFile('before.txt', 'kept\n') })).status,
    ).toBe(201);
    const ready = await ts.api('/health/detailed');
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { components: { database: unknown } }).components.database).toMatchObject(
      {
        status: 'healthy',
        engine: 'postgresql',
        dialect: 'postgres',
        connections_active: expect.any(Number),
        connections_idle: expect.any(Number),
      },
    );

    // Cut while an upload streams in (authenticated, its body half read): its commit fails.
    const upload = pausedUpload(ts, 160, 128);
    await upload.reachedPause;
    proxy.cut('refuse');
    upload.resume();
    const cutMidUpload = await upload.response;
    expect(cutMidUpload.status).toBe(503);
    expect(((await cutMidUpload.json()) as { error: { code: string } }).error.code).toBe(
      'CATALOG_UNAVAILABLE',
    );

    // Every upload while the database refuses connections: 503, never 201.
    for (let i = 0; i < 3; i++) {
      const res = await ts.api('/api/v1/files', { method: 'POST', body: oneFile(`cut-${i}.txt`, 'lost\n') });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CATALOG_UNAVAILABLE');
    }
    const notReady = await ts.api('/ready');
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { components: { database: string } }).components.database).toBe(
      'unhealthy',
    );

    // A database that accepts connections and never answers: the connect timeout answers 503.
    proxy.cut('blackhole');
    const hung = await ts.api('/api/v1/files', {
      method: 'POST',
      body: oneFile('hung.txt', 'lost\n'),
      signal: AbortSignal.timeout(30_000),
    });
    expect(hung.status).toBe(503);

    // Back: uploads succeed again, and only what was answered 201 is stored.
    proxy.restore();
    await eventually(async () => {
      const res = await ts.api('/api/v1/files', { method: 'POST', body: oneFile('after.txt', 'stored\n') });
      return res.status === 201 ? true : undefined;
    }, 'uploads never succeeded again after PostgreSQL came back');
    expect(await names(ts)).toEqual(['after.txt', 'before.txt']);
    expect((await ts.api('/ready')).status).toBe(200);
    expect(await readdir(join(ts.uploadFolder, '.tmp')).catch(() => [])).toEqual([]);
    // The cut upload's 10 MiB left no blob behind: kept while the catalog could not say whether
    // its commit landed, removed once it answers that nothing references it.
    const large = async () => {
      const sizes = await Promise.all(
        (await listFiles(ts.uploadFolder)).map(async (f) => (await stat(join(ts.uploadFolder, f))).size),
      );
      return sizes.filter((size) => size >= CHUNK.length);
    };
    await expect.poll(large, { timeout: 15_000 }).toEqual([]);
  });
});
