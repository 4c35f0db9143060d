import { Readable } from 'node:stream';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import { createId } from '../ids/id.js';
import { type DerivativeRecord, FINAL_FILE_STATUSES, type FileRecord } from '../model/index.js';
import {
  type DerivativeOutput,
  INFRASTRUCTURE_CODES,
  type ProcessorFile,
  runProcessors,
  toFileFailure,
} from '../processing/index.js';
import type { JobContext } from '../queue/index.js';
import { caused, commitWithEvent } from './commit-event.js';
import { eventId, type ForgeContext, isoNow } from './context.js';

const DERIVATIVE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Payload of the processing job. */
export interface ProcessJobPayload {
  tenant: string;
  fileId: string;
  /** Run again even if the record is already final (`reprocess`). */
  force?: boolean;
}

function processorFile(ctx: ForgeContext, record: FileRecord): ProcessorFile {
  return {
    record,
    open: (range) => ctx.blobs.get(record.blobKey, range ?? {}),
    path: ctx.blobs.localPath?.(record.blobKey),
  };
}

async function storeDerivative(
  ctx: ForgeContext,
  record: FileRecord,
  output: DerivativeOutput,
): Promise<DerivativeRecord> {
  if (!DERIVATIVE_NAME.test(output.name)) {
    throw new FileForgeError(
      ErrorCode.INTERNAL,
      `[fileforge:processors] Invalid derivative name ${JSON.stringify(output.name)}`,
    );
  }
  const key = `${record.tenant}/derived/${record.id}/${createId(ctx.options.now())}-${output.name}`;
  const content = output.content instanceof Uint8Array ? Readable.from([output.content]) : output.content;
  const put = await ctx.blobs.put(key, content);
  const previous = await ctx.catalog.derivatives.get(record.id, output.name);
  const derivative: DerivativeRecord = {
    fileId: record.id,
    name: output.name,
    kind: output.kind,
    mime: output.mime,
    size: put.size,
    sha256: put.sha256,
    width: output.width ?? null,
    height: output.height ?? null,
    blobKey: key,
    createdAt: isoNow(ctx),
  };
  try {
    await ctx.catalog.derivatives.put(derivative);
  } catch (error) {
    await ctx.blobs.delete(key).catch(() => {});
    throw error;
  }
  if (previous) await ctx.blobs.delete(previous.blobKey).catch(() => {});
  return derivative;
}

async function discardDerivatives(
  ctx: ForgeContext,
  record: FileRecord,
  made: DerivativeRecord[],
): Promise<void> {
  for (const d of made) {
    await ctx.catalog.derivatives.remove(record.id, d.name).catch(() => {});
    await ctx.blobs.delete(d.blobKey).catch(() => {});
  }
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
  job: JobContext,
): Promise<void> {
  const { tenant, fileId } = payload;
  const record = await ctx.catalog.files.get(tenant, fileId);
  if (!record) return; // deleted meanwhile
  if (FINAL_FILE_STATUSES.includes(record.status) && !payload.force) return;
  await ctx.catalog.files.update(tenant, fileId, { status: 'processing', error: null });

  const made: DerivativeRecord[] = [];
  let ended = false;
  const addDerivative = async (output: DerivativeOutput) => {
    if (ended)
      throw new FileForgeError(
        ErrorCode.ABORTED,
        '[fileforge:processors] The run has ended; derivative refused',
      );
    const d = await storeDerivative(ctx, record, output);
    if (ended) {
      // A processor that outlived its time budget: its late output must not survive the verdict.
      await ctx.catalog.derivatives.remove(record.id, d.name).catch(() => {});
      await ctx.blobs.delete(d.blobKey).catch(() => {});
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
      signal: job.signal,
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
    const status = error.code === ErrorCode.CONTENT_REJECTED ? 'rejected' : 'failed';
    // The record shows the stable code and reason with a sentence for people; the
    // processor's own text (a decoder's complaint, a stack) belongs in the log only.
    const failure = toFileFailure(error);
    ctx.options.logger.warn({ err: error, fileId, tenant, status }, `file ${status} by processing`);
    await commitWithEvent(
      ctx,
      (tx) => tx.files.update(tenant, fileId, { status, error: failure }),
      (updated) =>
        updated &&
        caused('file.failed', {
          eventId: eventId(job.job.id, 'file.failed'),
          tenant,
          file: updated,
          error: failure,
          timestamp: isoNow(ctx),
        }),
    );
    await ctx.dispatcher.deliver();
    return;
  }
  ended = true;
  const metadata = { ...record.metadata, ...results };
  await commitWithEvent(
    ctx,
    (tx) => tx.files.update(tenant, fileId, { status: 'processed', error: null, metadata, ...recognised }),
    (updated) =>
      updated &&
      caused('file.processed', {
        eventId: eventId(job.job.id, 'file.processed'),
        tenant,
        file: updated,
        timestamp: isoNow(ctx),
      }),
  );
  await ctx.dispatcher.deliver();
}
