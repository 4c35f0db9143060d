/**
 * Storing what steps produce: a record as the file a step reads, and derivative outputs
 * written to the blob store and recorded (replacing an earlier one of the same name), or
 * removed again when the run that made them fails.
 *
 * @module
 */
import { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import { isoNow } from '../forge/context.js';
import { createId } from '../ids/id.js';
import type { DerivativeRecord, FileRecord } from '../model/index.js';
import type { DerivativeOutput, ProcessorFile } from '../processing/index.js';

const DERIVATIVE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** The file a step reads: the record, and its blob opened on demand (ranges allowed). */
export function processorFile(ctx: ForgeContext, record: FileRecord): ProcessorFile {
  return {
    record,
    open: (range) => ctx.blobs.get(record.blobKey, range ?? {}),
    path: ctx.blobs.localPath?.(record.blobKey),
    ...(ctx.blobs.withLocalFile
      ? { withLocalFile: (work, options) => ctx.blobs.withLocalFile!(record.blobKey, work, options) }
      : {}),
  };
}

/** Stores one derivative output of `record`; an earlier one of the same name is replaced. */
export async function storeDerivative(
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

/** Removes derivatives a failed run made. */
export async function discardDerivatives(
  ctx: ForgeContext,
  record: FileRecord,
  made: DerivativeRecord[],
): Promise<void> {
  for (const d of made) {
    await ctx.catalog.derivatives.remove(record.id, d.name).catch(() => {});
    await ctx.blobs.delete(d.blobKey).catch(() => {});
  }
}
