/**
 * The `process` step: the default pipeline every stored file goes through (the processing
 * job). It runs each matching processor with its own time budget, stores what they derive,
 * and ends the record `processed`, `rejected` or `failed` with its event. The workflow engine
 * runs other step kinds (`image.thumbnail`, `media.transcode`, …) with {@link runStep}.
 *
 * @module
 */
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import { caused, commitWithEvent } from '../forge/commit-event.js';
import { eventId, type ForgeContext, isoNow } from '../forge/context.js';
import { type DerivativeRecord, FINAL_FILE_STATUSES, type FileRecord } from '../model/index.js';
import {
  type DerivativeOutput,
  INFRASTRUCTURE_CODES,
  runProcessors,
  toFileFailure,
} from '../processing/index.js';
import { discardDerivative, discardDerivatives, processorFile, storeDerivative } from './derivatives.js';

/** Payload of the processing job. */
export interface ProcessJobPayload {
  tenant: string;
  fileId: string;
  /** Run again even if the record is already final (`reprocess`). */
  force?: boolean;
}

/** How one processing pass runs. */
export interface ProcessRun {
  /** Aborts processing (shutdown, cancellation); the error is thrown so the caller retries. */
  signal: AbortSignal;
  /**
   * Stable across retries of this pass (the job id, a workflow step's idempotency key): the
   * ids of the events it commits derive from it, so a retried pass repeats the same event ids.
   */
  eventKey: string;
  /** Put on the events it commits when a workflow run asked for this pass. */
  causedBy?: { workflowId: string; runId: string; depth: number };
}

/**
 * The processing job: runs the matching processors on a stored file and ends the record
 * `processed`, `rejected` (hostile content) or `failed` (a processor threw or timed out),
 * committing `file.processed` or `file.failed` with the record and delivering it before the
 * job completes. Processor verdicts are final and not retried;
 * infrastructure errors (catalog, storage) are thrown so the queue retries the job. Safe to
 * run twice: a final record is left alone unless `force` is set, and derivatives are
 * replaced by name.
 */
export async function processFile(
  ctx: ForgeContext,
  payload: ProcessJobPayload,
  run: ProcessRun,
): Promise<FileRecord['status'] | null> {
  const { tenant, fileId } = payload;
  const causedBy = run.causedBy ? { causedBy: run.causedBy } : {};
  const record = await ctx.catalog.files.get(tenant, fileId);
  if (!record) return null; // deleted meanwhile
  if (FINAL_FILE_STATUSES.includes(record.status) && !payload.force) return record.status;
  await ctx.catalog.files.update(tenant, fileId, { status: 'processing', error: null });

  const made: DerivativeRecord[] = [];
  let ended = false;
  const addDerivative = async (output: DerivativeOutput) => {
    if (ended)
      throw new FileForgeError(
        ErrorCode.ABORTED,
        '[fileforge:processors] The run has ended; derivative refused',
      );
    const d = await storeDerivative(ctx, record, output, `${run.eventKey}:${output.name}`);
    if (ended) {
      // A processor that outlived its time budget: its late output must not survive the verdict.
      await discardDerivative(ctx, record, d);
      throw new FileForgeError(
        ErrorCode.ABORTED,
        '[fileforge:processors] The run has ended; derivative refused',
      );
    }
    made.push(d);
    return d;
  };
  let results: Record<string, unknown>;
  // A type a processor recognised where ingest could not (ProcessResult.type).
  let recognised: { mime: string; ext: string } | undefined;
  try {
    results = await runProcessors({
      file: processorFile(ctx, record),
      processors: ctx.processors.match(record),
      signal: run.signal,
      defaultTimeoutMs: ctx.options.processorTimeoutMs,
      addDerivative,
      onType: (type) => {
        recognised = type;
      },
    });
  } catch (thrown) {
    ended = true;
    const error = toFileForgeError(thrown);
    // Shutdown, or FileForge's own storage/catalog failing: the queue runs the job again.
    if (error.code === ErrorCode.ABORTED || INFRASTRUCTURE_CODES.has(error.code)) {
      await discardDerivatives(ctx, record, made);
      throw error;
    }
    await discardDerivatives(ctx, record, made);
    // Processed before (a reprocess): what earlier runs derived and extracted no longer
    // stands — a rejected or failed file has no derivatives and no processors' metadata.
    await discardDerivatives(ctx, record, await ctx.catalog.derivatives.list(record.id));
    const stale = ctx.processors.match(record).filter((p) => p.name in record.metadata);
    const metadata =
      stale.length === 0
        ? undefined
        : Object.fromEntries(
            Object.entries(record.metadata).filter(([k]) => !stale.some((p) => p.name === k)),
          );
    const status = error.code === ErrorCode.CONTENT_REJECTED ? 'rejected' : 'failed';
    // The record shows the stable code and reason with a sentence for people; the
    // processor's own text (a decoder's complaint, a stack) belongs in the log only.
    const failure = toFileFailure(error);
    ctx.options.logger.warn({ err: error, fileId, tenant, status }, `file ${status} by processing`);
    await commitWithEvent(
      ctx,
      (tx) => tx.files.update(tenant, fileId, { status, error: failure, ...(metadata ? { metadata } : {}) }),
      (updated) =>
        updated &&
        caused('file.failed', {
          eventId: eventId(run.eventKey, 'file.failed'),
          tenant,
          file: updated,
          error: failure,
          timestamp: isoNow(ctx),
          ...causedBy,
        }),
    );
    await ctx.dispatcher.deliver();
    return status;
  }
  ended = true;
  const metadata = { ...record.metadata, ...results };
  await commitWithEvent(
    ctx,
    (tx) => tx.files.update(tenant, fileId, { status: 'processed', error: null, metadata, ...recognised }),
    (updated) =>
      updated &&
      caused('file.processed', {
        eventId: eventId(run.eventKey, 'file.processed'),
        tenant,
        file: updated,
        timestamp: isoNow(ctx),
        ...causedBy,
      }),
  );
  await ctx.dispatcher.deliver();
  return 'processed';
}
