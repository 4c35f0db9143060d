import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from './metrics.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

let dataDir: string;
let forge: Forge;
let metrics: Metrics;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'fileforge-metrics-'));
  forge = await createForge({ dataDir, logger: silent });
  metrics = createMetrics(forge);
});

afterEach(async () => {
  metrics.close();
  await forge.close();
  await rm(dataDir, { recursive: true, force: true });
});

function testApp(m: Metrics) {
  const app = new Hono();
  app.use(m.middleware);
  app.use('/items/*', async (c, next) => (c.req.header('X-Block') ? c.text('no', 403) : next()));
  app.get('/health', (c) => c.text('ok'));
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/metrics', m.handler);
  return app;
}

async function scrape(app: Hono): Promise<string> {
  const res = await app.request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe(metrics.registry.contentType);
  return res.text();
}

describe('createMetrics', () => {
  it('counts requests by route pattern, never by raw path', async () => {
    const app = testApp(metrics);
    expect((await app.request('/items/1')).status).toBe(200);
    expect((await app.request('/items/2')).status).toBe(200);
    expect((await app.request('/health')).status).toBe(200);
    const text = await scrape(app);
    expect(text).toContain('http_requests_total{method="GET",route="/items/:id",status="200"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="/health",status="200"} 1');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/items/:id",status="200"} 2',
    );
    expect(text).not.toContain('route="/items/1"');
  });

  it('labels unknown paths "unmatched" and middleware refusals with the route they were for', async () => {
    const app = testApp(metrics);
    expect((await app.request('/nope/123')).status).toBe(404);
    expect((await app.request('/items/7', { headers: { 'X-Block': '1' } })).status).toBe(403);
    expect((await app.request('/items/7', { method: 'BREW' })).status).toBe(404);
    const text = await scrape(app);
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/items/:id",status="403"} 1');
    expect(text).toContain('http_requests_total{method="OTHER",route="unmatched",status="404"} 1');
    expect(text).not.toContain('/nope');
  });

  it('reports uploaded bytes, job outcomes and queue depth from the forge', async () => {
    const app = testApp(metrics);
    await forge.ingest(Readable.from([Buffer.from('x')]), { name: 'a.txt' });
    await forge.ingest(Readable.from([Buffer.from('hello')]), { name: 'b.txt' });
    await forge.queue.onIdle();
    const text = await scrape(app);
    expect(text).toContain('fileforge_upload_bytes_total 6');
    expect(text).toContain('fileforge_jobs_total{outcome="processed"} 2');
    expect(text).toContain('fileforge_jobs_total{outcome="failed"} 0');
    expect(text).toContain('fileforge_jobs_total{outcome="rejected"} 0');
    expect(text).toContain('fileforge_queue_jobs{state="completed"} 2');
    expect(text).toContain('fileforge_queue_jobs{state="pending"} 0');
    expect(text).toContain('fileforge_queue_jobs{state="running"} 0');
  });

  it('counts CONTENT_REJECTED failures as rejected and other failures as failed', async () => {
    const app = testApp(metrics);
    const failed = (code: string) => ({
      eventId: code,
      tenant: 'default',
      file: {} as never,
      timestamp: new Date().toISOString(),
      error: { code, message: code },
    });
    forge.events.emit('file.failed', failed('CONTENT_REJECTED'));
    forge.events.emit('file.failed', failed('PROCESSOR_TIMEOUT'));
    forge.events.emit('file.failed', failed('PROCESSOR_FAILED'));
    const text = await scrape(app);
    expect(text).toContain('fileforge_jobs_total{outcome="rejected"} 1');
    expect(text).toContain('fileforge_jobs_total{outcome="failed"} 2');
  });

  it('keeps each server in its own registry, with Node default metrics and an optional prefix', async () => {
    const other = createMetrics(forge, { prefix: 'ff_' });
    try {
      await testApp(metrics).request('/health');
      const otherApp = testApp(other);
      await otherApp.request('/items/1');
      const text = await scrape(otherApp);
      expect(text).toContain('ff_process_cpu_user_seconds_total');
      expect(text).toContain('ff_http_requests_total{method="GET",route="/items/:id",status="200"} 1');
      expect(text).not.toContain('route="/health"');
      expect(await metrics.registry.metrics()).toContain('\nprocess_cpu_user_seconds_total');
    } finally {
      other.close();
    }
  });

  it('still answers the scrape when the queue cannot report', async () => {
    const app = testApp(metrics);
    await forge.close();
    const text = await scrape(app);
    expect(text).toContain('http_requests_total');
    expect(text).not.toMatch(/fileforge_queue_jobs\{/);
  });
});
