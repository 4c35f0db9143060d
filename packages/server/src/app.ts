import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { createUploadAdmission } from './admission/upload-admission.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { authenticate } from './auth/middleware.js';
import { type AuthService, createAuthService } from './auth/service.js';
import { errorResponse } from './errors/respond.js';
import { createClientAddressing } from './http/client-address.js';
import { createLiveEvents } from './http/live-events.js';
import { publicRoute, validationHook } from './http/openapi.js';
import { createUnmatchedHandler } from './http/unmatched-route.js';
import { createLogger } from './logger.js';
import { accessLog } from './middleware/access-log.js';
import { auditContext } from './middleware/audit.js';
import { bodyDeadline } from './middleware/body-deadline.js';
import { createRateLimit } from './middleware/rate-limit.js';
import { securityHeaders } from './middleware/security-headers.js';
import { createMetrics } from './observability/metrics.js';
import { createRequestStats } from './observability/stats.js';
import type { ServerOptions } from './options.js';
import { createPeriodicTask } from './periodic-task.js';
import { registerApiKeyRoutes } from './routes/api-keys.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerBackupRoutes } from './routes/backups.js';
import { registerClassificationRoutes } from './routes/classification.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerDownloadRoutes } from './routes/download.js';
import { registerEventRoutes } from './routes/events.js';
import { registerFileHistoryRoutes } from './routes/file-history.js';
import { registerFileRoutes } from './routes/files.js';
import { registerBulkFileRoutes } from './routes/files-bulk.js';
import { registerFolderRoutes } from './routes/folders.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerIntegrationRoutes } from './routes/integrations.js';
import { registerPageRoutes } from './routes/page.js';
import { registerSetupRoutes } from './routes/setup.js';
import { registerSorterRuleRoutes } from './routes/sorter-rules.js';
import { registerSorterRunRoutes } from './routes/sorter-runs.js';
import { registerTenantRoutes } from './routes/tenants.js';
import { registerUploadRoute } from './routes/upload.js';
import { registerUploadsRoutes } from './routes/uploads.js';
import { registerUserRoutes } from './routes/users.js';
import { registerWatchRoutes } from './routes/watch.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerWorkflowRunRoutes } from './routes/workflow-runs.js';
import { registerWorkflowRoutes } from './routes/workflows.js';
import type { ServerEnv } from './server-env.js';
import { createResumableUploads, UPLOADS_PATH } from './tus/resumable-uploads.js';
import { SERVER_VERSION } from './version.js';

/** The streamed upload, which has its own body rules (size cap per file, minimum rate). */
const isUploadRequest = (c: Context) =>
  (c.req.method === 'POST' && c.req.path === '/api/v1/files') || isTusBody(c);
/** A tus request that carries upload bytes (resumable uploads stream like the upload). */
const isTusBody = (c: Context) =>
  (c.req.method === 'PATCH' || c.req.method === 'POST') && c.req.path.startsWith(UPLOADS_PATH);
/**
 * A chunk of a resumable upload: not counted by the request rate limit, or a large file sent
 * in small chunks (tus clients do not retry a 429) would fail half-way. Each chunk must carry
 * the bytes at the upload's offset, which bounds them by the upload's length. Only an
 * authenticated caller's: no upload takes an anonymous chunk, and those would be unlimited.
 */
const isTusChunk = (c: Context<ServerEnv>) =>
  c.req.method === 'PATCH' && c.req.path.startsWith(`${UPLOADS_PATH}/`) && c.get('principal') !== undefined;
/**
 * A chunk refused for want of an upload of the caller's to append to: none with that id (404,
 * also another tenant's), another editor's (403), expired (410). Counted once answered, or
 * PATCHes to made-up ids would be unlimited. After the fact, not by looking the upload up
 * first: a real chunk then costs nothing more, and a made-up id costs the handler only a
 * failed state-file read, no more than authenticating it, which every request pays anyway.
 */
const isChunkForNoUpload = (c: Context) =>
  c.res.status === 403 || c.res.status === 404 || c.res.status === 410;
/** tus discovery (`OPTIONS /api/v1/uploads` without a CORS preflight's headers) is answered by tus, not CORS. */
const isTusDiscovery = (c: Context) =>
  c.req.method === 'OPTIONS' && c.req.path === UPLOADS_PATH && !c.req.header('Access-Control-Request-Method');

/** Request headers tus clients send (CORS). */
const TUS_REQUEST_HEADERS = [
  'Tus-Resumable',
  'Upload-Length',
  'Upload-Offset',
  'Upload-Metadata',
  'Upload-Checksum',
  'Upload-Defer-Length',
  'Upload-Concat',
  'X-HTTP-Method-Override',
];
/** Response headers tus clients read (CORS). */
const TUS_RESPONSE_HEADERS = [
  'Location',
  'Tus-Resumable',
  'Tus-Version',
  'Tus-Extension',
  'Tus-Max-Size',
  'Tus-Checksum-Algorithm',
  'Upload-Offset',
  'Upload-Length',
  'Upload-Metadata',
  'Upload-Expires',
  'FileForge-File-Id',
];

/** What {@link createServer} returns. */
export interface FileForgeServer {
  /** The Hono app (OpenAPI-described); serve `app.fetch` with @hono/node-server. */
  app: OpenAPIHono<ServerEnv>;
  /** Accounts and credentials (create users and API keys from code or the CLI). */
  auth: AuthService;
  /** Ends the live event streams (`GET /api/v1/events`) and refuses new ones: the first step of a shutdown. */
  closeStreams(): void;
  /**
   * Releases what the server holds besides the forge (the rate-limit and login-throttle store
   * connections, the upload admission's lease renewal, the upload sweep), newest first; ends
   * the live event streams. A `createServer` that fails has released them before it throws.
   */
  close(): Promise<void>;
}

/**
 * Builds the FileForge HTTP API over a forge: every `/api/v1` route behind the permission
 * table, an OpenAPI 3.1 document at `/openapi.json` and Swagger UI at `/docs`, health and
 * Prometheus metrics, rate limits and the web page. Uploads read the Node request directly,
 * so run it on Node (`startServer()` does).
 *
 * @example
 * ```ts
 * const forge = await createForge({ processors: defaultProcessors() });
 * const { app } = await createServer(forge, { tokens: { secret: process.env.JWT_SECRET_KEY } });
 * serve({ fetch: app.fetch, port: 8000 });
 * ```
 */
export async function createServer(forge: Forge, options: ServerOptions): Promise<FileForgeServer> {
  const logger = options.logger ?? createLogger();
  /** What the server opened, in order: `close()` closes it newest first, as does a failed start-up. */
  const opened: Array<() => unknown> = [];
  const close = () => closeNewestFirst(opened);
  try {
    return { ...(await assembleServer(forge, { ...options, logger }, opened)), close };
  } catch (error) {
    // Its Redis connections (rate limit, login throttle) and timers would otherwise keep a
    // process that handles the error alive, with no server.
    await close().catch((err: unknown) => logger.error({ err }, 'closing after a failed start-up failed'));
    throw error;
  }
}

/** Runs every closer, newest first, even when one fails; then throws the first failure. */
async function closeNewestFirst(closers: Array<() => unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (const closer of closers.splice(0).reverse()) {
    try {
      await closer();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/** {@link createServer}'s parts, each pushing its closer onto `opened` as soon as it exists. */
async function assembleServer(
  forge: Forge,
  options: ServerOptions & { logger: NonNullable<ServerOptions['logger']> },
  opened: Array<() => unknown>,
): Promise<Omit<FileForgeServer, 'close'>> {
  const { logger } = options;
  const version = options.version ?? SERVER_VERSION;
  const stats = createRequestStats();
  const metrics = createMetrics(forge);
  opened.push(() => metrics.close());
  const tokens = await createAccessTokens(options.tokens);
  // Failed logins are counted in the rate limit's store, so with Redis every process sees them.
  const loginThrottle =
    options.loginThrottle === false
      ? undefined
      : createLoginThrottle({
          ...(options.rateLimitStorageUrl ? { storageUrl: options.rateLimitStorageUrl } : {}),
          onStoreError: (err) =>
            logger.warn({ err }, 'login throttle store unavailable; counting in memory meanwhile'),
          ...options.loginThrottle,
        });
  if (loginThrottle) opened.push(() => loginThrottle.close());
  const auth = createAuthService({
    catalog: forge.catalog,
    tokens,
    bcryptRounds: options.bcryptRounds ?? 12,
    ...(options.refreshReuseGraceSeconds === undefined
      ? {}
      : { refreshReuseGraceSeconds: options.refreshReuseGraceSeconds }),
    ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
    loginThrottle: loginThrottle ?? false,
  });
  // One answer to "who is the client, and did it connect over TLS" for every part below.
  const addressing = createClientAddressing(options.trustedProxies ?? []);
  const rateLimit = createRateLimit({
    rule: options.rateLimit ?? '100 per minute',
    ...(options.rateLimitStorageUrl ? { storageUrl: options.rateLimitStorageUrl } : {}),
    trustedProxies: addressing,
    onStoreError: (err) => logger.warn({ err }, 'rate-limit store unavailable; counting in memory meanwhile'),
  });
  opened.push(() => rateLimit.close());
  await rateLimit.ready();
  await loginThrottle?.ready();

  const app = new OpenAPIHono<ServerEnv>({ defaultHook: validationHook });
  app.use(requestId());
  app.use(metrics.middleware);
  app.use(accessLog(logger, stats));
  app.use(securityHeaders({ viaTls: addressing.viaTls }));
  if (options.connectionGate) app.use(options.connectionGate);
  // The upload has its own rules (a minimum rate); every other body must arrive in time.
  app.use(bodyDeadline({ timeoutMs: options.requestBodyTimeoutMs ?? 30_000, exempt: isUploadRequest }));
  const corsMiddleware = cors({
    origin: options.allowedOrigins ?? [],
    allowHeaders: [
      'Authorization',
      'Content-Type',
      'X-API-Key',
      'If-None-Match',
      'Range',
      ...TUS_REQUEST_HEADERS,
    ],
    exposeHeaders: [
      ...TUS_RESPONSE_HEADERS,
      'X-Request-Id',
      'ETag',
      'Content-Range',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
    ],
    maxAge: 600,
  });
  app.use('/api/*', (c, next) => (isTusDiscovery(c) ? next() : corsMiddleware(c, next)));
  app.use(authenticate(auth));
  app.use('/api/*', auditContext(forge.audit, addressing, logger));
  const countRefusedChunk = rateLimit.countAnsweredIf(isChunkForNoUpload);
  app.use('/api/*', (c, next) =>
    isTusChunk(c) ? countRefusedChunk(c, next) : rateLimit.middleware(c, next),
  );
  // Uploads stream with their own per-file cap; every other body is small JSON, read whole by
  // the validators, so it is capped before it is read.
  const maxJson = options.maxJsonBytes ?? 64 * 1024;
  const jsonLimit = bodyLimit({
    maxSize: maxJson,
    onError: (c) =>
      errorResponse(
        c,
        new FileForgeError(ErrorCode.REQUEST_TOO_LARGE, `Request body exceeds ${maxJson} bytes`),
      ),
  });
  app.use('/api/*', (c, next) => (isUploadRequest(c) ? next() : jsonLimit(c, next)));

  const connectors = options.integrations?.connectors;
  const webhooks = options.integrations?.webhooks;
  registerHealthRoutes(
    app,
    forge,
    stats,
    version,
    options.isStarted ?? (() => true),
    logger,
    connectors ? () => connectors.service : undefined,
    webhooks ? () => webhooks.service : undefined,
  );
  app.openapi(
    publicRoute({
      method: 'get',
      path: '/metrics',
      tags: ['Health'],
      summary: 'Prometheus metrics',
      responses: {
        200: {
          description: 'Prometheus text format',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    }),
    metrics.handler,
  );
  registerDocsRoutes(app, { version });
  registerPageRoutes(app, forge, auth, forge.catalog, options.integrations);
  registerSetupRoutes(app, auth);
  registerAuthRoutes(app, auth, (id) => forge.catalog.accounts.getUser(id), addressing.viaTls);
  registerUserRoutes(app, auth, forge.catalog);
  registerApiKeyRoutes(app, auth, forge.catalog);
  // One quota store, backpressure check and key store for multipart and tus uploads.
  const admission = await createUploadAdmission(forge, options.admission);
  opened.push(() => admission.close());
  registerTenantRoutes(app, admission);
  registerUploadRoute(app, forge, {
    maxFilesPerRequest: options.maxFilesPerRequest ?? 20,
    idleTimeoutMs: options.uploadIdleTimeoutMs ?? 60_000,
    minBytesPerSecond: options.uploadMinBytesPerSecond ?? 1024,
    rateWindowMs: options.uploadRateWindowMs ?? 10_000,
    isDraining: options.isDraining ?? (() => false),
    admission,
  });
  const resumable = createResumableUploads(forge, {
    ...options.resumableUploads,
    admission,
    isDraining: options.isDraining ?? (() => false),
    idleTimeoutMs: options.uploadIdleTimeoutMs ?? 60_000,
  });
  registerUploadsRoutes(app, resumable);
  const uploadSweep = createPeriodicTask({
    intervalMs: resumable.sweepIntervalMs,
    run: async () => {
      const removed = await resumable.sweep();
      if (removed > 0) logger.info({ removed }, 'removed expired resumable uploads');
    },
    onError: (err) =>
      logger.warn({ err }, 'resumable-upload sweep failed; trying again at the next interval'),
  });
  opened.push(() => uploadSweep.stop());
  registerDownloadRoutes(app, forge);
  // Before `/files/{id}` routes could claim `bulk` as an id.
  registerBulkFileRoutes(app, forge);
  registerFileRoutes(app, forge);
  registerFileHistoryRoutes(app, forge);
  const heartbeatMs = options.liveEventsHeartbeatMs ?? 15_000;
  const live = createLiveEvents(forge.events, { heartbeatMs });
  opened.push(() => live.close());
  registerEventRoutes(app, live, logger, heartbeatMs, (principal) => auth.stillValid(principal));
  registerClassificationRoutes(app, forge);
  registerSorterRuleRoutes(app, forge);
  registerSorterRunRoutes(app, forge);
  registerFolderRoutes(app, forge);
  registerWorkflowRoutes(app, forge);
  registerWorkflowRunRoutes(app, forge);
  registerWatchRoutes(app, forge);
  // Webhooks first: `/integrations/webhooks/…` must win over `/integrations/{slug}/…`.
  registerWebhookRoutes(app, options.integrations);
  registerIntegrationRoutes(app, options.integrations);
  registerAuditRoutes(app, forge);
  registerBackupRoutes(app, forge, options.backups);

  // A known path under another method is 405 with `Allow`; an unknown path 404.
  app.notFound(createUnmatchedHandler(() => app.routes));
  // A 5xx is logged by the access log (once, with its request id), like those middleware answer.
  app.onError((error, c) => errorResponse(c, error));

  return { app, auth, closeStreams: () => live.close() };
}
