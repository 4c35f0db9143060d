import { createForge } from '@fileforge/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../src/node.js';
import { SERVER_VERSION } from '../src/version.js';
import { freePort } from './support/child.js';
import { makeTempDir, startTestServer, stopTestServers, TOKEN_SECRET } from './support/server.js';

afterEach(stopTestServers);

const isoTimestamp = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

describe('health endpoints', () => {
  it('GET /health answers liveness with status, timestamp and version', async () => {
    const { url } = await startTestServer();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'healthy', timestamp: isoTimestamp, version: SERVER_VERSION });
  });

  it('GET /ready reports the database and storage healthy, with their latencies', async () => {
    const { url } = await startTestServer();
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      components: { database: 'healthy', storage: 'healthy', startup: 'complete' },
      latency_ms: { database: expect.any(Number), storage: expect.any(Number) },
      timestamp: isoTimestamp,
    });
  });

  it('GET /ready answers 200 only once the ADMIN_EMAIL bootstrap has finished, while /health answers at once (issue 7)', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const admin = { email: 'boot@example.test', password: 'a long bootstrap password' };
    const forge = await createForge({ dataDir: await makeTempDir() });
    // A realistic cost makes the bootstrap take a while: the window the probes look into.
    const starting = startServer({
      forge,
      port,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      tokens: { secret: TOKEN_SECRET },
      bcryptRounds: 13,
      bootstrapAdmin: admin,
    });
    let done = false;
    void starting.then(() => {
      done = true;
    });
    const seen: { health: number; ready: number; startup: string; canLogIn?: boolean }[] = [];
    while (!done) {
      const health = await fetch(`${url}/health`).catch(() => undefined);
      if (health) {
        await health.body?.cancel();
        const ready = await fetch(`${url}/ready`);
        const { components } = (await ready.json()) as { components: { startup: string } };
        const entry: (typeof seen)[number] = {
          health: health.status,
          ready: ready.status,
          startup: components.startup,
        };
        if (ready.status === 200) {
          const login = await fetch(`${url}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(admin),
          });
          entry.canLogIn = login.status === 200;
          await login.body?.cancel();
        }
        seen.push(entry);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const server = await starting;
    try {
      // Probed while the admin was being created: alive, not ready.
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((s) => s.ready !== 200)).toEqual(
        seen.filter((s) => s.ready !== 200).map(() => ({ health: 200, ready: 503, startup: 'pending' })),
      );
      // Whenever /ready said 200, the admin could log in.
      expect(seen.filter((s) => s.ready === 200).every((s) => s.canLogIn)).toBe(true);
      expect(seen.some((s) => s.ready === 503)).toBe(true);
      const after = await fetch(`${url}/ready`);
      expect(after.status).toBe(200);
      await after.body?.cancel();
    } finally {
      await server.close();
    }
  });

  it('GET /ready answers 503 not_ready once the server is shutting down', async () => {
    const { url, forge } = await startTestServer();
    const closing = forge.close();
    const res = await fetch(`${url}/ready`);
    await closing;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not_ready' });
  });

  it('GET /health/detailed reports each component with latency, free disk and request metrics', async () => {
    const { url } = await startTestServer();
    await (await fetch(`${url}/health`)).text();
    await (await fetch(`${url}/api/v1/files/nope`)).text();

    const res = await fetch(`${url}/health/detailed`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    const latency = expect.any(Number);
    expect(body).toMatchObject({
      status: 'healthy',
      version: SERVER_VERSION,
      timestamp: isoTimestamp,
      components: {
        database: { status: 'healthy', latency_ms: latency },
        storage: {
          status: 'healthy',
          latency_ms: latency,
          engine: 'local',
          disk_free_gb: expect.any(Number),
        },
        queue: { status: 'healthy' },
      },
      metrics: {
        requests_total: expect.any(Number),
        errors_total: expect.any(Number),
        avg_response_time_ms: expect.any(Number),
      },
    });
    const { components, metrics } = body as {
      components: Record<'database' | 'storage' | 'queue', Record<string, unknown>>;
      metrics: Record<string, number>;
    };
    expect(components.database.latency_ms).toBeGreaterThanOrEqual(0);
    expect(components.storage.disk_free_gb).toBeGreaterThan(0);
    // The two requests above were counted; the 404 is not a server error.
    expect(metrics.requests_total).toBeGreaterThanOrEqual(2);
    expect(metrics.errors_total).toBe(0);
    expect(metrics.avg_response_time_ms).toBeGreaterThanOrEqual(0);
  });
});
