import { type Forge, withTimeout } from '@fileforge/core';
import type { IntegrationService, WebhookService } from '@fileforge/integrations';
import { z } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { type ApiApp, jsonResponse, publicRoute } from '../http/openapi.js';
import {
  type ComponentFailures,
  createHealthFailures,
  HEALTH_ERROR_DESCRIPTION,
} from '../observability/health-failures.js';
import { IntegrationsHealthSchema, integrationsHealth } from '../observability/integrations-health.js';
import type { RequestStats } from '../observability/stats.js';
import { WebhooksHealthSchema, webhooksHealth } from '../observability/webhooks-health.js';

type Check = { status: 'healthy' | 'unhealthy'; latency_ms: number; error?: string };

/** The pool's counters of a pooled catalog (PostgreSQL), in the seed guide's names. */
function poolOf(catalog: Forge['catalog']) {
  const pool = catalog.connections?.();
  return pool ? { connections_active: pool.active, connections_idle: pool.idle } : {};
}

/**
 * Redis, when this forge's shared state lives there (REDIS_URL: locks for sort runs and
 * watched-folder claims); `undefined` on an embedded forge, whose locks are in-process.
 */
async function redisCheck(
  forge: Forge,
  report: ComponentFailures,
): Promise<(Check & { used_for: string[] }) | undefined> {
  if (forge.locks.kind !== 'redis') return undefined;
  return { ...(await timed(() => forge.locks.ping(), report)), used_for: ['locks'] };
}

/**
 * One run of a check at a time: probes that arrive while it runs (a probe storm, several load
 * balancers) share its answer instead of each sending its own query to a dependency that is
 * already slow. The run always settles within {@link CHECK_LIMIT_MS}, so the next probe after
 * it starts a fresh one: an abandoned call that never answers is not waited on again.
 */
function coalesced<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/** How long a component may take to answer a health check before it counts as unhealthy. */
const CHECK_LIMIT_MS = 5_000;

/**
 * Runs one component's check, timed; a check that has not answered within
 * {@link CHECK_LIMIT_MS} (a frozen Redis, a silent S3) is unhealthy, so the probe itself always
 * answers in time for its load balancer. A failure's `error` is `report`'s fixed text: the
 * routes are public, and the raw error (an upload-folder path, a host and port) goes to the log.
 */
async function timed(fn: () => Promise<unknown>, report: ComponentFailures): Promise<Check> {
  return (await measured(fn, report)).check;
}

/** {@link timed}, keeping what the check answered (free disk, job counts) beside it. */
async function measured<T>(
  fn: () => Promise<T>,
  report: ComponentFailures,
): Promise<{ check: Check; value?: T }> {
  const started = performance.now();
  try {
    const value = await withTimeout(fn, CHECK_LIMIT_MS);
    report.passed();
    return {
      check: { status: 'healthy', latency_ms: Math.round((performance.now() - started) * 100) / 100 },
      value,
    };
  } catch (error) {
    return {
      check: {
        status: 'unhealthy',
        latency_ms: Math.round(performance.now() - started),
        error: report.failed(error),
      },
    };
  }
}

const Status = z.enum(['healthy', 'unhealthy']);
const ComponentCheck = z.object({
  status: Status,
  latency_ms: z.number(),
  error: z.string().optional().openapi({ description: HEALTH_ERROR_DESCRIPTION }),
});
const HealthSchema = z
  .object({ status: z.literal('healthy'), timestamp: z.string(), version: z.string() })
  .openapi('Health');
const ReadySchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    components: z.object({
      database: Status,
      storage: Status,
      redis: Status.optional().openapi({
        description:
          'Present with REDIS_URL: the Redis shared by every instance (locks, queue); reported, not required for ready',
      }),
      startup: z.enum(['complete', 'pending']).openapi({
        description: 'Start-up (migrations, the ADMIN_EMAIL bootstrap) has finished',
      }),
    }),
    latency_ms: z
      .object({ database: z.number(), storage: z.number(), redis: z.number().optional() })
      .openapi({ description: "Each dependency's round trip for this probe, in milliseconds" }),
    timestamp: z.string(),
  })
  .openapi('Readiness');
const DetailedSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']).openapi({
      description:
        'unhealthy (503) when the database, storage or job queue (Redis with REDIS_URL) fails; degraded (200) when only an integration is (an open circuit, a webhook backlog)',
    }),
    version: z.string(),
    timestamp: z.string(),
    components: z.object({
      database: ComponentCheck.extend({
        engine: z.string().openapi({ description: 'The catalog engine: sqlite, postgresql' }),
        dialect: z.string(),
        connections_active: z
          .number()
          .optional()
          .openapi({ description: 'Pooled engines (PostgreSQL): connections in use' }),
        connections_idle: z.number().optional().openapi({ description: 'Pooled engines: idle connections' }),
      }),
      storage: ComponentCheck.extend({
        engine: z.string().nullable().openapi({ description: 'The blob store engine: local, s3' }),
        disk_free_gb: z.number().nullable(),
      }),
      redis: ComponentCheck.extend({
        used_for: z.array(z.string()).openapi({ description: 'What this server keeps there: locks, …' }),
      })
        .optional()
        .openapi({ description: 'Present with REDIS_URL: the Redis shared by every instance' }),
      queue: ComponentCheck.extend({
        pending: z.number().optional(),
        running: z.number().optional(),
        completed: z.number().optional(),
        failed: z.number().optional(),
      }),
      integrations: IntegrationsHealthSchema.optional().openapi({
        description: 'Present when the server runs the connectors',
      }),
      webhooks: WebhooksHealthSchema.optional().openapi({
        description: 'Present when the server runs webhooks: the delivery backlog',
      }),
    }),
    metrics: z.object({
      requests_total: z.number(),
      errors_total: z.number(),
      avg_response_time_ms: z.number(),
      uptime_seconds: z.number(),
      memory_rss_mb: z.number(),
    }),
  })
  .openapi('HealthDetailed');

/**
 * `GET /health` (liveness: answers as soon as the port listens), `GET /ready` (start-up is
 * complete — including the first-admin bootstrap — and the database and storage answer; with
 * REDIS_URL, Redis is reported too; each one's latency beside the seed guide's components) and
 * `GET /health/detailed` (latencies, free disk, queue, request counters), in the shapes of
 * FileForge's operations guide. With connectors, `/health/detailed` adds an `integrations`
 * component (circuit state, endpoint health and region per connector, from memory); with
 * webhooks, a `webhooks` component (the delivery backlog, from the outbox). These routes are
 * public: a failing component says only a fixed text; `logger` gets the cause (once per failure).
 */
export function registerHealthRoutes(
  app: ApiApp,
  forge: Forge,
  stats: RequestStats,
  version: string,
  isStarted: () => boolean,
  logger: Logger,
  connectors?: () => IntegrationService,
  webhooks?: () => WebhookService,
): void {
  const now = () => new Date().toISOString();
  const failures = createHealthFailures(logger);
  // Shared by /ready and /health/detailed: concurrent probes wait for one run of each check.
  const checkDatabase = coalesced(() => timed(() => forge.catalog.ping(), failures.of('database')));
  const checkStorage = coalesced(() => measured(() => forge.blobs.check(), failures.of('storage')));
  const checkRedis = coalesced(() => redisCheck(forge, failures.of('redis')));
  // With REDIS_URL the counts come from Redis: latency_ms is then Redis's.
  const checkQueue = coalesced(() => measured(() => forge.queue.stats(), failures.of('queue')));
  const checkIntegrations = connectors
    ? coalesced(() => integrationsHealth(connectors, failures.of('integrations'), CHECK_LIMIT_MS))
    : undefined;
  const checkWebhooks = webhooks
    ? coalesced(() => webhooksHealth(webhooks, failures.of('webhooks'), CHECK_LIMIT_MS))
    : undefined;

  app.openapi(
    publicRoute({
      method: 'get',
      path: '/health',
      tags: ['Health'],
      summary: 'Liveness',
      responses: { 200: jsonResponse(HealthSchema, 'The process serves requests') },
    }),
    (c) => c.json({ status: 'healthy' as const, timestamp: now(), version }, 200),
  );

  app.openapi(
    publicRoute({
      method: 'get',
      path: '/ready',
      tags: ['Health'],
      summary: 'Readiness: start-up has finished and the catalog and storage answer (Redis reported)',
      responses: { 200: jsonResponse(ReadySchema, 'Ready'), 503: jsonResponse(ReadySchema, 'Not ready') },
    }),
    async (c) => {
      const [database, { check: storage }, redis] = await Promise.all([
        checkDatabase(),
        checkStorage(),
        checkRedis(),
      ]);
      const started = isStarted();
      // Redis is reported, not required: without it reads and downloads still work (uploads
      // answer 503 QUEUE_UNAVAILABLE), so instances stay in the load balancer (docs/scaling.md).
      const ready =
        started && database.status === 'healthy' && storage.status === 'healthy' && !forge.closing;
      const body = {
        status: ready ? ('ready' as const) : ('not_ready' as const),
        components: {
          database: database.status,
          storage: storage.status,
          ...(redis ? { redis: redis.status } : {}),
          startup: started ? ('complete' as const) : ('pending' as const),
        },
        latency_ms: {
          database: database.latency_ms,
          storage: storage.latency_ms,
          ...(redis ? { redis: redis.latency_ms } : {}),
        },
        timestamp: now(),
      };
      return ready ? c.json(body, 200) : c.json(body, 503);
    },
  );

  app.openapi(
    publicRoute({
      method: 'get',
      path: '/health/detailed',
      tags: ['Health'],
      summary: 'Component latencies, free disk, queue and request counters',
      responses: {
        200: jsonResponse(DetailedSchema, 'Healthy'),
        503: jsonResponse(DetailedSchema, 'A component is unhealthy'),
      },
    }),
    async (c) => {
      // All at once: the probe answers within one check's limit, not the sum of them.
      const [
        database,
        { check: storage, value: space },
        { check: queue, value: counts },
        integrations,
        hooks,
        redis,
      ] = await Promise.all([
        checkDatabase(),
        checkStorage(),
        checkQueue(),
        checkIntegrations?.(),
        checkWebhooks?.(),
        checkRedis(),
      ]);
      const { freeBytes, engine } = space ?? {};
      // Without its Redis an instance cannot take locks: no sort run or watched file progresses.
      const healthy = [database, storage, queue, ...(redis ? [redis] : [])].every(
        (check) => check.status === 'healthy',
      );
      const degraded = [integrations, hooks].some((c) => c !== undefined && c.status !== 'healthy');
      const body = {
        status: healthy ? (degraded ? ('degraded' as const) : ('healthy' as const)) : ('unhealthy' as const),
        version,
        timestamp: now(),
        components: {
          database: {
            ...database,
            engine: forge.catalog.dialect === 'postgres' ? 'postgresql' : forge.catalog.dialect,
            dialect: forge.catalog.dialect,
            ...poolOf(forge.catalog),
          },
          storage: {
            ...storage,
            engine: engine ?? null,
            disk_free_gb: freeBytes === undefined ? null : Math.round((freeBytes / 1024 ** 3) * 100) / 100,
          },
          ...(redis ? { redis } : {}),
          queue: { ...queue, ...counts },
          ...(integrations ? { integrations } : {}),
          ...(hooks ? { webhooks: hooks } : {}),
        },
        metrics: {
          requests_total: stats.requests,
          errors_total: stats.errors,
          avg_response_time_ms:
            stats.requests === 0 ? 0 : Math.round((stats.totalMs / stats.requests) * 100) / 100,
          uptime_seconds: Math.round(process.uptime()),
          memory_rss_mb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
        },
      };
      return healthy ? c.json(body, 200) : c.json(body, 503);
    },
  );
}
