/**
 * The composition root: {@link createForge} opens (or takes) storage, catalog, queue, locks and
 * events, wires workflows, the sorter, watchers and extensions onto them, and runs the start-up
 * sequence. The {@link Forge} it returns is described in `forge.ts`; the crash leftovers it
 * finishes at start-up in `recovery.ts`.
 *
 * @module
 */
import { hostname } from 'node:os';
import { auditMigrations, auditUnavailable, createAuditTrail } from '../audit/index.js';
import { catalogEngine, openCatalog, runMigrations } from '../catalog/index.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { createOutboxDispatcher, EventBus } from '../events/index.js';
import { ensurePrivateDir } from '../fs/private-dir.js';
import { removeIfUnreferenced } from '../fsck/orphans.js';
import { openLockManager } from '../locks/index.js';
import { ProcessorRegistry } from '../processing/index.js';
import { type JobQueue, openQueue, type QueueHooks } from '../queue/index.js';
import { stopTrainings } from '../sorter/learn.js';
import { sorterMigrations } from '../sorter/migrations.js';
import { startMoveRecovery } from '../sorter/run-lock.js';
import { sorterOf } from '../sorter/runtime.js';
import { createForgeSorter, sorterUnavailable } from '../sorter/sdk.js';
import { processFile } from '../steps/process.js';
import { runStep } from '../steps/run-step.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createDeleteHold } from '../storage/delete-hold.js';
import { encryptAtRest, openBlobStore } from '../storage/index.js';
import { createForgeWatchers, forgeWatch, watchedTenants } from '../watch/forge-watchers.js';
import { workflowsUnavailable } from '../workflows/forge-workflows.js';
import type { LocalRuns } from '../workflows/local-runs.js';
import { workflowMigrations } from '../workflows/migrations.js';
import { type ForgeWorkflowEngine, setUpWorkflows } from '../workflows/setup.js';
import { caused, commitWithEvent } from './commit-event.js';
import { type ForgeContext, PROCESS_JOB } from './context.js';
import { lockDataDir } from './data-dir-lock.js';
import { assertEnginesAvailable } from './engines.js';
import type { ForgeExtension } from './extension.js';
import { createForgeFiles } from './files.js';
import type { Forge } from './forge.js';
import { ingest } from './ingest.js';
import { type ForgeOptions, type ResolvedForgeOptions, resolveForgeOptions } from './options.js';
import { recoverAtStart } from './recovery.js';

/**
 * Creates a forge: the composition root that wires storage, catalog, queue, events and
 * processors. With no options it is fully embedded (SQLite + local disk + in-process queue
 * under `./data`). Start-up runs migrations, sweeps what a crash left in the temp area,
 * re-enqueues processing for records a crash left unfinished, resumes queued jobs, and then
 * delivers the events a crash left committed but undelivered.
 *
 * @example
 * ```ts
 * import { createForge } from '@fileforge/core';
 * import { defaultProcessors } from '@fileforge/processors';
 *
 * const forge = await createForge({ dataDir: './data', processors: defaultProcessors() });
 * forge.events.on('file.processed', ({ file }) => console.log(file.name, file.mime));
 * const record = await forge.ingest(createReadStream('report.pdf'), { name: 'report.pdf' });
 * ```
 */
export async function createForge(options: ForgeOptions = {}): Promise<Forge> {
  // An engine this version cannot open is refused before anything is created on disk.
  assertEnginesAvailable(options);
  const resolved = resolveForgeOptions(options);
  const { logger } = resolved;
  const extensions = checkExtensions(options.extensions ?? []);
  const extensionMigrations = extensions.flatMap((e) => (e.migrations ? [e.migrations] : []));
  // Only an embedded forge owns its directories; injected adapters manage their own sharing.
  const embedded = !(options.blobStore || options.catalog || options.queue);
  // With REDIS_URL and PostgreSQL, other processes (`fileforge worker`) share the catalog and the
  // blobs by design; a SQLite catalog stays one process's (the data-directory lock).
  const shared = Boolean(options.queueUrl) && catalogEngine(resolved.databaseUrl) !== 'sqlite';
  const exclusive = embedded && !shared;
  /** This process is the only one writing the catalog: an embedded forge's SQLite file, locked. */
  const sole = exclusive && catalogEngine(resolved.databaseUrl) === 'sqlite';
  if (embedded) await ensurePrivateDir(resolved.dataDir, logger);
  if (!options.blobStore) await ensurePrivateDir(resolved.uploadFolder, logger);
  const unlock = exclusive ? await lockDataDir(resolved.dataDir) : async () => {};
  /** Until start-up begins below: what is open, closed again (newest first) if the rest fails. */
  const opened: Array<() => Promise<unknown>> = [unlock];
  const failOpening = async (error: unknown): Promise<never> => {
    for (const close of opened.reverse()) await close().catch(() => {});
    throw error;
  };
  const storedBlobs = encryptStore(
    options.blobStore ??
      (await openBlobStore({
        root: resolved.uploadFolder,
        ...(options.s3 ? { s3: options.s3 } : {}),
        // Shared with other processes: a young temp file may be another one's upload in flight.
        ...(shared ? { sweepGraceMs: 3_600_000 } : {}),
      }).catch(failOpening)),
    resolved,
  );
  const catalog =
    options.catalog ??
    (await openCatalog(resolved.databaseUrl, {
      now: () => new Date(resolved.now()),
      migrations: [workflowMigrations, sorterMigrations, auditMigrations, ...extensionMigrations],
    }).catch(failOpening));
  opened.push(() => catalog.close());
  // A backup holds deletes while it reads the blobs of its catalog copy (holdBlobDeletes).
  const deleteHold = createDeleteHold(storedBlobs, (key, store) => removeIfUnreferenced(catalog, store, key));
  const blobs = deleteHold.store;
  const hooks: QueueHooks = {
    onJobRetry: (job, err) =>
      logger.warn({ err, jobId: job.id, attempt: job.attempts }, 'job failed; retrying'),
    onJobFailed: (job, err) => logger.error({ err, jobId: job.id }, 'job failed permanently'),
    onQueueError: (err) => logger.warn({ err }, 'job queue could not reach its store; retrying'),
  };
  let queue: ReturnType<typeof openQueue>;
  try {
    queue =
      options.queue?.(catalog, hooks) ??
      openQueue({
        ...(options.queueUrl ? { url: options.queueUrl } : {}),
        store: catalog.jobs,
        concurrency: resolved.maxWorkers,
        maxAttempts: resolved.jobMaxAttempts,
        now: resolved.now,
        ...options.queueTiming,
        // The data-directory lock makes this process the only embedded forge on its catalog, so
        // a stable owner is safe: after a crash it takes its jobs back without waiting for leases.
        ...(exclusive ? { owner: `embedded:${hostname()}:${resolved.dataDir}` } : {}),
        ...hooks,
      });
  } catch (error) {
    return failOpening(error);
  }
  const events = new EventBus({
    onListenerError: (err, event) => logger.error({ err, event }, 'event listener threw'),
  });
  options.subscribe?.(events);
  for (const extension of extensions) extension.subscribe?.(events);
  const dispatcher = createOutboxDispatcher({
    store: catalog.outbox,
    bus: events,
    now: resolved.now,
    // The only forge on its catalog: after a restart it takes back its claims of the outbox at
    // once. On a SQLite catalog (one forge's, the data-directory lock) it is the outbox's sole
    // dispatcher and claims nothing: one write fewer per delivery pass.
    ...(exclusive ? { owner: `embedded:${hostname()}:${resolved.dataDir}` } : {}),
    claims: !sole,
    ...options.eventDelivery,
    onGiveUp: (entry, errors) =>
      logger.error(
        { eventId: entry.id, event: entry.type, attempts: entry.attempts, err: errors[0] },
        'event listeners kept failing; giving up on this event',
      ),
    onError: (err) => logger.warn({ err }, 'event outbox could not be read or written; retrying'),
  });
  // Not connected until first used; closed with the forge unless it was passed in.
  const locks = options.locks ?? openLockManager(options.locksUrl ? { url: options.locksUrl } : {});
  const closeLocks = () => (options.locks ? Promise.resolve() : locks.close());
  const ctx: ForgeContext = {
    options: resolved,
    blobs,
    catalog,
    queue,
    events,
    dispatcher,
    locks,
    processors: new ProcessorRegistry(options.processors ?? []),
    closing: false,
  };

  opened.push(() => queue.close({ graceMs: 0 }));
  const auditTrail = catalog.db ? createAuditTrail(catalog.db(), { now: resolved.now }) : auditUnavailable();
  let workflows: ForgeWorkflowEngine | undefined;
  let watchers: ReturnType<typeof createForgeWatchers>;
  try {
    // The workflow engine runs the default pipeline (the file.process job) as a workflow. It
    // needs a SQL catalog (catalog.db()), which every catalog FileForge opens has; an injected
    // catalog without one gets plain processing and no workflows.
    workflows = catalog.db
      ? setUpWorkflows(
          ctx,
          {
            ...options.workflows,
            steps: [...(options.workflows?.steps ?? []), ...extensions.flatMap((e) => [...(e.steps ?? [])])],
          },
          // The SQLite catalog of a locked data directory: nothing else changes its workflows,
          // and nothing else runs them, so a run executes here without a queue job of its own.
          { pipeline: true, soleWriter: sole, localRuns: sole && options.runJobs !== false },
        )
      : undefined;
    if (!workflows) {
      queue.register(PROCESS_JOB, async (payload, job) => {
        await processFile(ctx, payload, { signal: job.signal, eventKey: job.job.id });
      });
    }
    // Built (options checked) before start-up; started once it is done.
    watchers = createForgeWatchers(ctx, options.watch, auditTrail);
  } catch (error) {
    return failOpening(error);
  }
  let stopMoveRecovery = async () => {};
  try {
    await catalog.migrate();
    // An injected catalog may not know the workflow tables; applying them again is a no-op.
    if (workflows && options.catalog) await runMigrations(catalog.db!(), [workflowMigrations]);
    if (catalog.db && options.catalog)
      await runMigrations(catalog.db(), [sorterMigrations, auditMigrations, ...extensionMigrations]);
    await recoverAtStart(ctx, { exclusive, remoteQueue: Boolean(options.queueUrl) });
    // Sort moves a crash interrupted are finished or rolled back before anything moves files.
    // A run another instance held is settled later, once its lock frees (see run-lock.ts).
    if (catalog.db) stopMoveRecovery = await startMoveRecovery(sorterOf(ctx));
    await workflows?.reconcile();
    if (options.runJobs !== false) {
      await queue.start();
      workflows?.engine.local?.start();
    }
    // Delivers what a crash left in the outbox, right after this resolves (see `subscribe`).
    dispatcher.start();
    await workflows?.start();
    for (const watcher of watchers) await watcher.start();
  } catch (error) {
    await stopMoveRecovery();
    await workflows?.stop();
    await Promise.allSettled(watchers.map((w) => w.close()));
    await dispatcher.close().catch(() => {});
    await workflows?.engine.local?.close(0);
    await queue.close({ graceMs: 0 }).catch(() => {});
    await catalog.close().catch(() => {});
    await closeLocks().catch(() => {});
    await unlock();
    throw error;
  }

  let closed: Promise<void> | undefined;
  const forge: Forge = {
    options: resolved,
    events,
    processors: ctx.processors,
    blobs,
    catalog,
    queue: withLocalRuns(queue, workflows?.engine.local),
    locks,
    holdBlobDeletes: () => deleteHold.hold(),
    files: createForgeFiles(ctx),
    ingest: (source, opts) => ingest(ctx, source, opts),
    runStep: (kind, fileId, options, runOptions) => runStep(ctx, kind, fileId, options, runOptions),
    watch: forgeWatch(watchers, watchedTenants(options.watch)),
    workflows: workflows?.sdk ?? workflowsUnavailable(),
    sorter: catalog.db ? createForgeSorter(ctx) : sorterUnavailable(),
    audit: auditTrail,
    async publish(type, payload) {
      await commitWithEvent(
        ctx,
        async () => {},
        () => caused(type, payload),
      );
      await ctx.dispatcher.deliver();
    },
    get closing() {
      return ctx.closing;
    },
    close({ graceMs = resolved.shutdownGraceMs } = {}) {
      ctx.closing = true;
      closed ??= (async () => {
        // No scheduled run starts once closing began (their ticks see `ctx.closing`).
        await workflows?.stop();
        // Extensions next: they finish what they have in flight while queue and catalog still run.
        for (const extension of [...extensions].reverse()) {
          await extension
            .close?.()
            .catch((err) => logger.error({ err, extension: extension.name }, 'extension failed to close'));
        }
        await stopMoveRecovery();
        // A classifier training finishes (its model stored) within the grace, or is stopped.
        await stopTrainings(ctx, graceMs);
        // Watchers first: a claim in flight is aborted and finished on the next start.
        await Promise.allSettled(watchers.map((w) => w.close()));
        // Runs executing here and queue jobs share the grace period.
        await Promise.all([workflows?.engine.local?.close(graceMs), queue.close({ graceMs })]);
        await dispatcher.close();
        await catalog.close();
        await closeLocks().catch((err) => logger.warn({ err }, 'could not close the lock store'));
        events.clear();
        await unlock();
      })();
      return closed;
    },
  };
  const started: ForgeExtension[] = [];
  try {
    for (const extension of extensions) {
      await extension.start?.(forge);
      started.push(extension);
    }
  } catch (error) {
    // Only what started is stopped by close(); the one that failed cleaned up after itself.
    extensions.splice(0, extensions.length, ...started);
    await forge.close().catch(() => {});
    throw error;
  }
  return forge;
}

/**
 * The forge's queue as users see it: with local workflow runs (executed without a job each),
 * `onIdle()` also waits for them and `stats()` counts them, as it did their jobs.
 */
function withLocalRuns(
  queue: JobQueue,
  runs: Pick<LocalRuns<unknown>, 'busy' | 'counts' | 'onIdle'> | undefined,
): JobQueue {
  if (!runs) return queue;
  return {
    ...queue,
    async stats() {
      // Runs waiting and executing count as the queue's pending and running work, as their
      // jobs did; their outcomes are the runs' own records, not job counts.
      const stats = await queue.stats();
      const { pending, running } = runs.counts;
      return { ...stats, pending: stats.pending + pending, running: stats.running + running };
    },
    async onIdle() {
      // Idle at one moment: the queue just went idle and no run waits or executes (a run may
      // enqueue jobs, a job may start runs).
      for (;;) {
        await queue.onIdle();
        if (!runs.busy) return;
        await runs.onIdle();
      }
    },
  };
}

/** With a key ring, the store encrypted at rest as every entry point opens it ({@link encryptAtRest}). */
function encryptStore(store: BlobStore, resolved: ResolvedForgeOptions): BlobStore {
  if (resolved.keyRing && !('rewrap' in store)) {
    resolved.logger.info(
      { keyId: resolved.keyRing.current.id, materialize: false },
      'encryption at rest is on; the sorted tree is kept in the catalog only (never materialised as plaintext)',
    );
  }
  return encryptAtRest(store, { keyRing: resolved.keyRing, dataDir: resolved.dataDir });
}

/** Refuses two extensions of one name (their tables and logs would mix). */
function checkExtensions(extensions: readonly ForgeExtension[]): ForgeExtension[] {
  const names = new Set<string>();
  for (const extension of extensions) {
    if (names.has(extension.name)) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:forge] Two extensions are named "${extension.name}"; each needs a name of its own`,
      );
    }
    names.add(extension.name);
  }
  return [...extensions];
}
