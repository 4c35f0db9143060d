import { parseArgs } from 'node:util';
import { createForge, ErrorCode, FileForgeError, forgeOptionsFromConfig } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { createIntegrationExtensions, integrationOptionsFromConfig } from '../forge-extensions.js';
import { createLogger } from '../logger.js';
import { createPeriodicTask } from '../periodic-task.js';
import { resolveSecrets } from '../secrets.js';
import { requeueUnfinished } from '../worker/requeue-unfinished.js';
import { loadCliConfig } from './cli-config.js';
import { processorOptionsFromConfig } from './processor-options.js';

/** `fileforge worker --help`. */
export const WORKER_USAGE = `Usage: fileforge worker
  Runs processing jobs from the BullMQ queue at REDIS_URL (required), MAX_WORKERS at a time,
  with the configuration "fileforge serve" has (DATABASE_URL, blob storage, processors,
  integrations, SECRET_KEY) but no HTTP server. Start as many workers as you need, on any
  machines that share the catalog, the blob storage and Redis; "fileforge serve" then only
  queues jobs (unless started with --with-worker). A SQLite catalog can be shared by processes
  of one machine only: use PostgreSQL (DATABASE_URL=postgresql://...) beyond that.
  Every minute a worker also queues processing for files that have none (stored while Redis
  was unreachable).
  SIGTERM or SIGINT stop it gracefully: it takes no new job, gives running ones
  SHUTDOWN_GRACE_MS to finish, hands the rest back to the queue for another worker, and exits 0.
`;

/** How often a worker queues processing for files left without a job. */
const REQUEUE_INTERVAL_MS = 60_000;

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
  const logger = createLogger(config.logLevel);
  const secrets = await resolveSecrets(config, logger);
  const integrations = createIntegrationExtensions(integrationOptionsFromConfig(config, secrets));
  const forge = await createForge({
    ...forgeOptionsFromConfig(config),
    processors: defaultProcessors(processorOptionsFromConfig(config)),
    extensions: integrations.extensions,
    logger,
  });
  if (forge.catalog.dialect === 'sqlite') {
    logger.warn(
      { database: config.databaseUrl },
      'the catalog is a SQLite file: only processes on this machine can share it; use DATABASE_URL=postgresql://... for workers on other machines',
    );
  }
  const requeue = createPeriodicTask({
    intervalMs: REQUEUE_INTERVAL_MS,
    run: (signal) => requeueUnfinished(forge, signal).then(() => undefined),
    onError: (err) => logger.warn({ err }, 'could not queue unfinished files; trying again later'),
  });
  logger.info({ concurrency: config.maxWorkers, pid: process.pid }, 'FileForge worker running jobs');

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info({ signal, graceMs: config.shutdownGraceMs }, 'worker shutting down');
  await requeue.stop();
  await forge.close();
  logger.info('worker stopped');
  return 0;
}
