import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_VERSION } from '../src/version.js';
import { startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const isoTimestamp = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

describe('health endpoints', () => {
  it('GET /health answers liveness with status, timestamp and version', async () => {
    const { url } = await startTestServer();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'healthy', timestamp: isoTimestamp, version: SERVER_VERSION });
  });

  it('GET /ready reports the database and storage healthy', async () => {
    const { url } = await startTestServer();
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      components: { database: 'healthy', storage: 'healthy' },
      timestamp: isoTimestamp,
    });
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
        storage: { status: 'healthy', latency_ms: latency, disk_free_gb: expect.any(Number) },
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
