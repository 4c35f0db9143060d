import type { AddressInfo } from 'node:net';
import type { Forge } from '@fileforge/core';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { createServer } from './app.js';
import type { AuthService } from './auth/service.js';
import { createLogger } from './logger.js';
import type { ServerOptions } from './options.js';

/** Options for {@link startServer}. */
export interface StartServerOptions extends ServerOptions {
  forge: Forge;
  /** @default 8000 */
  port?: number;
  /** @default '0.0.0.0' */
  host?: string;
  /**
   * Seconds a request may take to send its headers (slow-loris guard).
   * @default 60
   */
  headersTimeoutSeconds?: number;
  /** How long `close()` waits for requests in flight. @default 10000 */
  shutdownGraceMs?: number;
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
  const {
    app,
    auth,
    close: closeApp,
  } = await createServer(options.forge, {
    ...options,
    logger,
    isDraining: () => draining,
  });
  const server = serve({
    fetch: app.fetch,
    port: options.port ?? 8000,
    hostname: options.host ?? '0.0.0.0',
    serverOptions: { headersTimeout: (options.headersTimeoutSeconds ?? 60) * 1000, requestTimeout: 0 },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : 'localhost';
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    auth,
    close() {
      closing ??= (async () => {
        draining = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // A keep-alive connection whose response is still finishing is not idle yet when
        // close() runs, and would otherwise stay open until the client's keep-alive timeout.
        const sweep = setInterval(() => {
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        }, 50).unref();
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        // Requests in flight (an upload being stored) get a bounded time to finish.
        await Promise.race([
          stopped,
          new Promise((r) => setTimeout(r, options.shutdownGraceMs ?? 10_000).unref()),
        ]);
        clearInterval(sweep);
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closeApp();
        await options.forge.close();
      })();
      return closing;
    },
  };
}
