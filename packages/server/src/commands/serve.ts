import { parseArgs } from 'node:util';
import { createForge, forgeOptionsFromConfig } from '@fileforge/core';
import { createOperationRegistry, defaultProcessors } from '@fileforge/processors';
import { recoverInterruptedRestore, startConfiguredBackups } from '../backup/serve-hooks.js';
import { createIntegrationExtensions, integrationOptionsFromConfig } from '../forge-extensions.js';
import { startConfiguredSweep } from '../fsck/orphan-sweep.js';
import { createLogger } from '../logger.js';
import { startServer } from '../node.js';
import { resolveSecrets } from '../secrets.js';
import { loadCliConfig } from './cli-config.js';
import { allocatorFacts, mallocTuningHint } from './glibc-malloc.js';
import { processorOptionsFromConfig } from './processor-options.js';
import { serverOptionsFromConfig } from './server-options.js';
import { listenForStop } from './stop-signals.js';

/** `fileforge serve --help`. */
export const SERVE_USAGE = `Usage: fileforge serve [--with-worker]
  Starts the FileForge server on HOST:PORT (default 0.0.0.0:8000) with the data under
  DATA_DIR (default ./data). Configured by environment variables: see .env.example and
  docs/configuration.md. ADMIN_EMAIL and ADMIN_PASSWORD create the first admin.
  SIGTERM or SIGINT stop it gracefully (one received while it starts stops it once started).

Options:
  --with-worker   With REDIS_URL set, also run processing jobs in this process (by default
                  the server only queues them and "fileforge worker" processes run them, so
                  the API stays responsive). Without REDIS_URL the server always runs them.
Exit codes: 0 stopped by SIGTERM/SIGINT, 1 could not start (bad configuration, port in use),
2 usage error.
`;

/**
 * `fileforge serve`: loads the configuration from the environment (a bad value stops here
 * with a message naming the variable), opens the forge and listens. With ADMIN_EMAIL and
 * ADMIN_PASSWORD set and no user yet, that admin is created (ignored afterwards). SIGTERM or
 * SIGINT shut down gracefully: no new uploads, requests in flight and running jobs get the
 * grace period, unfinished jobs are picked up on the next start.
 */
export async function runServe(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'with-worker': { type: 'boolean', default: false } } });
  const config = loadCliConfig();
  const stop = listenForStop();
  // With Redis, jobs run in `fileforge worker` processes unless asked for here too.
  const runJobs = !config.env.REDIS_URL || values['with-worker'] === true;
  const logger = createLogger(config.logLevel);
  const mallocHint = mallocTuningHint(allocatorFacts());
  if (mallocHint) logger.warn(mallocHint);
  if (!config.env.ENCRYPTION_KEY && !config.debug) {
    logger.warn(
      'ENCRYPTION_KEY is not set: uploaded files and derivatives are stored unencrypted on disk (see docs/security-guide.md#encryption-at-rest)',
    );
  }
  const secrets = await resolveSecrets(config, logger);
  const integrations = createIntegrationExtensions(integrationOptionsFromConfig(config, secrets));
  await recoverInterruptedRestore(config, logger);
  const forge = await createForge({
    ...forgeOptionsFromConfig(config),
    processors: defaultProcessors(processorOptionsFromConfig(config)),
    workflows: { operations: createOperationRegistry() },
    extensions: integrations.extensions,
    logger,
    runJobs,
  });
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = config.env;
  const server = await startServer({
    forge,
    port: config.port,
    host: config.host,
    logger,
    shutdownGraceMs: config.shutdownGraceMs,
    integrations,
    ...serverOptionsFromConfig(config, secrets),
    ...(email && password ? { bootstrapAdmin: { email, password } } : {}),
  }).catch(async (error: unknown) => {
    // No server: the forge's connections (catalog pool, queue, Redis) must not keep the
    // process alive, so a supervisor sees it exit and restarts it.
    await forge.close().catch((err: unknown) => logger.error({ err }, 'closing after a failed start failed'));
    throw error;
  });
  const backups = startConfiguredBackups(config, forge, logger);
  const sweep = startConfiguredSweep(config, forge, logger);
  logger.info(
    { url: server.url, dataDir: config.dataDir, database: forge.catalog.dialect, runsJobs: runJobs },
    `FileForge listening on ${server.url}`,
  );

  const signal = await stop.received;
  logger.info({ signal }, 'shutting down');
  await Promise.all([backups?.stop(), sweep?.stop()])
    .then(() => server.close())
    .catch((err: unknown) => logger.error({ err }, 'shutdown failed'));
  logger.info('stopped');
  return 0;
}
