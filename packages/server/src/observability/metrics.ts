import type { Forge } from '@fileforge/core';
import type { Context, Handler, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * Prepended to every metric name, the Node default metrics included (`myapp_` gives
   * `myapp_http_requests_total`). Leave it empty to keep the names dashboards expect.
   * @default ''
   */
  prefix?: string;
}

/** What {@link createMetrics} returns. */
export interface Metrics {
  /** This server's own registry: never prom-client's global one, so several servers can share a process. */
  registry: Registry;
  /** Times and counts every request by method, matched route pattern and status. Mount it first. */
  middleware: MiddlewareHandler;
  /** `GET /metrics`: the Prometheus text exposition of {@link Metrics.registry}. */
  handler: Handler;
  /** Unsubscribes from the forge's events (`forge.close()` also does this). */
  close(): void;
}

/**
 * Upper bounds in seconds. Most API calls finish in milliseconds; uploads and downloads of
 * large files take minutes, so the tail reaches two minutes instead of stopping at 10 s.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Any other method becomes `OTHER`, so a client cannot mint label values. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** `route` label when no route matched (404 from `notFound`). */
export const UNMATCHED_ROUTE = 'unmatched';

/** `app.use()` registers middleware as method `ALL` on a wildcard path; endpoints have a method or an exact path. */
const isEndpoint = (route: { method: string; path: string }) =>
  route.method !== 'ALL' || !route.path.includes('*');

/**
 * The matched route pattern (`/api/v1/files/:id`), never the raw path, which would give a
 * time series per file id. When a middleware answered before the endpoint ran (401, 429),
 * the endpoint the request was routed to is used, so refusals show up under their route.
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  const responder = routes[c.req.routeIndex];
  if (responder && isEndpoint(responder)) return responder.path;
  return routes.slice(c.req.routeIndex).find(isEndpoint)?.path ?? UNMATCHED_ROUTE;
}

/**
 * Creates the Prometheus metrics of one server over one forge:
 *
 * - `http_requests_total{method,route,status}` and `http_request_duration_seconds{…}` from
 *   {@link Metrics.middleware};
 * - `fileforge_upload_bytes_total`: bytes of every stored file (`file.uploaded`);
 * - `fileforge_jobs_total{outcome}`: `processed`, `failed`, or `rejected` (hostile or corrupt
 *   content, `CONTENT_REJECTED`) from `file.processed` / `file.failed`;
 * - `fileforge_queue_jobs{state}`: read from `forge.queue.stats()` at scrape time;
 * - prom-client's Node default metrics (CPU, memory, event loop lag, GC).
 *
 * The endpoint reveals traffic and queue shape: serve it to admins or on an internal port only.
 *
 * @example
 * ```ts
 * const metrics = createMetrics(forge);
 * app.use(metrics.middleware);
 * app.get('/metrics', metrics.handler);
 * ```
 */
export function createMetrics(forge: Forge, options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? '';
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix });

  const httpLabels = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests answered, by method, matched route pattern and status.',
    labelNames: httpLabels,
    registers,
  });
  const duration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Time from receiving a request to having its response (before the body is streamed), in seconds.',
    labelNames: httpLabels,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const uploadBytes = new Counter({
    name: `${prefix}fileforge_upload_bytes_total`,
    help: 'Bytes of every file stored.',
    registers,
  });
  const jobs = new Counter({
    name: `${prefix}fileforge_jobs_total`,
    help: 'Files whose processing ended, by outcome (processed, failed, rejected).',
    labelNames: ['outcome'] as const,
    registers,
  });
  // Zero series from the start, so rate() and alerts work before the first failure.
  for (const outcome of ['processed', 'failed', 'rejected']) jobs.inc({ outcome }, 0);

  new Gauge({
    name: `${prefix}fileforge_queue_jobs`,
    help: 'Jobs in the processing queue, by state (pending, running, completed, failed); workflow runs executing in the server without a job of their own count as pending or running.',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      try {
        const stats = await forge.queue.stats();
        for (const [state, count] of Object.entries(stats)) this.set({ state }, count);
      } catch {
        // A closed or unreachable catalog must not fail the whole scrape: the series
        // disappear instead, which `absent()` alerts can catch, rather than going stale.
        this.reset();
      }
    },
  });

  const unsubscribe = [
    forge.events.on('file.uploaded', ({ file }) => uploadBytes.inc(file.size)),
    forge.events.on('file.processed', () => jobs.inc({ outcome: 'processed' })),
    forge.events.on('file.failed', ({ error }) =>
      jobs.inc({ outcome: error.code === 'CONTENT_REJECTED' ? 'rejected' : 'failed' }),
    ),
  ];

  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const labels = { method, route: routeLabel(c), status: String(status) };
      requests.inc(labels);
      duration.observe(labels, (performance.now() - started) / 1000);
    }
  };

  const handler: Handler = async (c) =>
    c.body(await registry.metrics(), 200, {
      'Content-Type': registry.contentType,
      'Cache-Control': 'no-store',
    });

  return {
    registry,
    middleware,
    handler,
    close: () => {
      for (const off of unsubscribe) off();
    },
  };
}
