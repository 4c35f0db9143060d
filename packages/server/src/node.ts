import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { createServer } from './app.js';
import type { AuthService } from './auth/service.js';
import { lingerOnClose } from './http/lingering-close.js';
import { createLogger } from './logger.js';
import { userTarget } from './middleware/audit.js';
import { createConnectionCap } from './middleware/connection-cap.js';
import type { ServerOptions } from './options.js';
import { DEFAULT_REQUEUE_GRACE_MS, startRequeueSweep } from './requeue-sweep.js';

/** Options for {@link startServer}. */
export interface StartServerOptions extends ServerOptions {
  forge: Forge;
  /** @default 8000 */
  port?: number;
  /** @default '0.0.0.0' */
  host?: string;
  /**
   * REQUEST_HEADERS_TIMEOUT_MS: time a request may take to send its headers (slow-loris
   * guard); a late one is answered 408 and its connection closed. Checked every quarter of
   * this (at most every 30 s), so a request may get up to 25% longer. @default 60000
   */
  headersTimeoutMs?: number;
  /** @deprecated Use `headersTimeoutMs`. Seconds a request may take to send its headers. */
  headersTimeoutSeconds?: number;
  /**
   * MAX_CONNECTIONS_PER_CLIENT: most connections open at once from one client address (IPv6
   * by /56). More are answered 429 `TOO_MANY_CONNECTIONS` with `Retry-After` and closed.
   * Peers in `trustedProxies` are never capped (all their clients share their address).
   * `0` disables the cap. @default 64
   */
  maxConnectionsPerClient?: number;
  /**
   * How long `close()` waits for requests and jobs in flight, together: jobs get what the
   * requests left of it. @default the forge's `shutdownGraceMs`
   */
  shutdownGraceMs?: number;
  /**
   * ADMIN_EMAIL / ADMIN_PASSWORD: the first admin, created once the server listens if no user
   * exists yet (ignored afterwards). `/health` answers meanwhile; `/ready` answers 200 only
   * once it exists. @default none
   */
  bootstrapAdmin?: { email: string; password: string };
  /**
   * REQUEUE_INTERVAL_MINUTES: every `intervalMs`, records left unfinished (`pending`,
   * `processing`) for longer than `graceMs` get their processing job requested again, so a
   * file whose job could not be queued (503 `QUEUE_UNAVAILABLE`) is processed once the queue is
   * back, without a restart ({@link startRequeueSweep}). `false` disables it.
   * @default { intervalMs: 300000, graceMs: 300000 }
   */
  requeue?: { intervalMs: number; graceMs?: number } | false;
}

/** A listening server. */
export interface RunningServer {
  url: string;
  port: number;
  /** Accounts and credentials of this server (create users and API keys from code). */
  auth: AuthService;
  /**
   * Graceful stop: stops accepting connections and uploads, waits for requests in flight,
   * lets running jobs finish (or leaves them to be picked up on the next start), closes the catalog.
   */
  close(): Promise<void>;
}

/** Starts the reference server on Node and resolves once it listens. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const logger: Logger = options.logger ?? createLogger();
  let draining = false;
  let started = false;
  const connectionCap = createConnectionCap({
    maxPerClient: options.maxConnectionsPerClient ?? 64,
    trustedProxies: options.trustedProxies ?? [],
  });
  const {
    app,
    auth,
    closeStreams,
    close: closeApp,
  } = await createServer(options.forge, {
    ...options,
    logger,
    isDraining: () => draining,
    isStarted: () => started,
    connectionGate: connectionCap.middleware,
  });
  const headersTimeout =
    options.headersTimeoutMs ??
    (options.headersTimeoutSeconds === undefined ? 60_000 : options.headersTimeoutSeconds * 1000);
  const server = serve({
    fetch: app.fetch,
    port: options.port ?? 8000,
    hostname: options.host ?? '0.0.0.0',
    serverOptions: {
      headersTimeout,
      // Node checks the deadline on this interval (30 s by default): check often enough for it to mean something.
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(headersTimeout / 4))),
      // Bodies have their own deadlines: a minimum rate for uploads, REQUEST_BODY_TIMEOUT_MS for the rest.
      requestTimeout: 0,
    },
  });
  server.on('connection', connectionCap.track);
  lingerOnClose(server as Server, { maxBytes: options.refusalDrainBytes ?? 1024 * 1024 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => {
        server.off('error', reject);
        resolve();
      });
      server.once('error', reject);
    });
  } catch (error) {
    // Nothing listens (a port in use): what the app opened (the rate-limit and login-throttle
    // stores' Redis connections, the upload admission's renewal) must not keep the process alive.
    await closeApp().catch((err: unknown) => logger.error({ err }, 'closing after a failed listen failed'));
    throw error;
  }
  // A listening server that fails (e.g. accept() out of file descriptors) is logged, not fatal.
  server.on('error', (err) => logger.error({ err }, 'HTTP server error'));
  const requeue =
    options.requeue === false
      ? undefined
      : startRequeueSweep({
          forge: options.forge,
          intervalMs: options.requeue?.intervalMs ?? 5 * 60_000,
          graceMs: options.requeue?.graceMs ?? DEFAULT_REQUEUE_GRACE_MS,
          logger,
        });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : 'localhost';
  let closing: Promise<void> | undefined;
  const running: RunningServer = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    auth,
    close() {
      closing ??= (async () => {
        // Requests and jobs in flight share one grace period: jobs get what the requests left.
        const graceMs = options.shutdownGraceMs ?? options.forge.options.shutdownGraceMs;
        const deadline = performance.now() + graceMs;
        draining = true;
        // Live event streams never finish on their own: end them before waiting for requests.
        closeStreams();
        await requeue?.stop();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // A keep-alive connection whose response is still finishing is not idle yet when
        // close() runs, and would otherwise stay open until the client's keep-alive timeout.
        const sweep = setInterval(() => {
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        }, 50).unref();
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        // Requests in flight (an upload being stored) get a bounded time to finish.
        await Promise.race([stopped, new Promise((r) => setTimeout(r, graceMs).unref())]);
        clearInterval(sweep);
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closeApp();
        await options.forge.close({ graceMs: Math.max(0, deadline - performance.now()) });
      })();
      return closing;
    },
  };
  try {
    if (options.bootstrapAdmin) await bootstrapAdmin(auth, options.bootstrapAdmin, options.forge, logger);
  } catch (error) {
    await running.close();
    throw error;
  }
  started = true;
  return running;
}

/**
 * Creates the first admin when no user exists yet; a concurrent setup that won the race is
 * fine. Audited like the setup form (`user.create`, `setup: true`), FileForge itself as actor.
 */
async function bootstrapAdmin(
  auth: AuthService,
  admin: { email: string; password: string },
  forge: Forge,
  logger: Logger,
) {
  if (!(await auth.needsSetup())) return;
  let created: Awaited<ReturnType<AuthService['setup']>>;
  try {
    created = await auth.setup(admin.email, admin.password);
    logger.info({ email: admin.email }, 'created the first admin from ADMIN_EMAIL');
  } catch (error) {
    if (!(FileForgeError.is(error) && error.code === ErrorCode.CONFLICT)) throw error;
    return;
  }
  await forge.audit
    .record({
      tenant: created.tenant,
      actor: { type: 'system', id: null },
      action: 'user.create',
      target: userTarget(created),
      details: { role: created.role, setup: true, from: 'ADMIN_EMAIL' },
    })
    .catch((err: unknown) =>
      logger.error({ err, action: 'user.create' }, 'could not append to the audit trail'),
    );
}
