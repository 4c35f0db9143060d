import { parseArgs } from 'node:util';
import {
  catalogEngine,
  createForge,
  ErrorCode,
  FileForgeError,
  forgeOptionsFromConfig,
} from '@fileforge/core';
import { createOperationRegistry } from '@fileforge/processors';
import { createIntegrationExtensions, integrationOptionsFromConfig } from '../forge-extensions.js';
import { createLogger } from '../logger.js';
import { resolveSecrets } from '../secrets.js';
import { loadCliConfig } from './cli-config.js';
import { warmedUpProcessors } from './processor-options.js';
import { listenForStop } from './stop-signals.js';

/** `fileforge worker --help`. */
export const WORKER_USAGE = `Usage: fileforge worker
  Runs processing jobs from the BullMQ queue at REDIS_URL (required), MAX_WORKERS at a time,
  with the configuration "fileforge serve" has (DATABASE_URL, blob storage, processors,
  integrations, SECRET_KEY) but no HTTP server. Start as many workers as you need, on any
  machines that share the catalog, the blob storage and Redis; "fileforge serve" then only
  queues jobs (unless started with --with-worker). Workers need a PostgreSQL catalog
  (DATABASE_URL=postgresql://...): a SQLite catalog belongs to one process (there, run the jobs
  in the server: fileforge serve --with-worker). See docs/scaling.md.
  SIGTERM or SIGINT stop it gracefully: it takes no new job, gives running ones
  SHUTDOWN_GRACE_MS to finish, hands the rest back to the queue for another worker, and exits 0.
Exit codes: 0 stopped by SIGTERM/SIGINT, 1 could not start (no REDIS_URL, a SQLite catalog),
2 usage error.
`;

/**
 * `fileforge worker`: opens the forge as `fileforge serve` does (same configuration,
 * processors and extensions) and runs jobs until SIGTERM/SIGINT, then shuts down gracefully.
 */
export async function runWorker(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, allowPositionals: false });
  const config = loadCliConfig();
  if (!config.env.REDIS_URL) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:worker] REDIS_URL is not set: workers take their jobs from BullMQ on Redis (without it, "fileforge serve" runs the jobs itself)',
      { details: { variable: 'REDIS_URL' } },
    );
  }
  if (catalogEngine(config.databaseUrl) === 'sqlite') {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:worker] The catalog is a SQLite file, which belongs to one process: set DATABASE_URL=postgresql://... for workers (with SQLite, run the jobs in the server: fileforge serve --with-worker)',
      { details: { variable: 'DATABASE_URL' } },
    );
  }
  const stop = listenForStop();
  const logger = createLogger(config.logLevel);
  const secrets = await resolveSecrets(config, logger);
  const integrations = createIntegrationExtensions(integrationOptionsFromConfig(config, secrets));
  const forge = await createForge({
    ...forgeOptionsFromConfig(config),
    processors: await warmedUpProcessors(config, logger),
    workflows: { operations: createOperationRegistry() },
    extensions: integrations.extensions,
    logger,
  });
  logger.info({ concurrency: config.maxWorkers, pid: process.pid }, 'FileForge worker running jobs');

  const signal = await stop.received;
  logger.info({ signal, graceMs: config.shutdownGraceMs }, 'worker shutting down');
  await forge.close();
  logger.info('worker stopped');
  // Everything is closed; a connection some library still holds must not keep a stopped worker
  // alive until its supervisor kills it (exit 137 instead of 0).
  setTimeout(() => {
    logger.warn('a connection was still open 2 s after shutdown; exiting anyway');
    process.exit(0);
  }, 2000).unref();
  return 0;
}
