/**
 * Storing what steps produce: a record as the file a step reads, and derivative outputs
 * written to the blob store and recorded (replacing an earlier one of the same name), or
 * removed again when the run that made them fails.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import { isoNow } from '../forge/context.js';
import { createId } from '../ids/id.js';
import type { DerivativeRecord, FileRecord } from '../model/index.js';
import type { DerivativeOutput, ProcessorFile } from '../processing/index.js';
import type { BlobStore } from '../storage/blob-store.js';

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

/**
 * Stores one derivative output of `record`; an earlier one of the same name is replaced.
 *
 * `passKey` names the pass that makes it, stable when that pass runs again (the job id): its
 * blob key derives from it, so a pass repeated after its process died between storing the blob
 * and recording it (a SIGKILLed worker) rewrites that blob instead of leaving it orphaned.
 * Without one (a one-off step), the key is unique.
 *
 * A blob a record points at is never overwritten or deleted before the record moves off it:
 * when the derived key is the current record's (the pass repeated after it was recorded), the
 * new blob goes to a unique key beside it, and the old blob is deleted only once the new record
 * committed — a write that fails (a full disk) or a kill leaves the old derivative whole. A
 * record write whose answer was lost is read back: committed, the derivative stands; refused,
 * its blob goes; the catalog unable to say, the blob stays for the orphan sweep (deleting it
 * could leave a committed record pointing at nothing).
 */
export async function storeDerivative(
  ctx: ForgeContext,
  record: FileRecord,
  output: DerivativeOutput,
  passKey?: string,
): Promise<DerivativeRecord> {
  if (!DERIVATIVE_NAME.test(output.name)) {
    throw new FileForgeError(
      ErrorCode.INTERNAL,
      `[fileforge:processors] Invalid derivative name ${JSON.stringify(output.name)}`,
    );
  }
  const keyOf = (unique: string) => `${record.tenant}/derived/${record.id}/${unique}-${output.name}`;
  const previous = await ctx.catalog.derivatives.get(record.id, output.name);
  let key = keyOf(
    passKey === undefined
      ? createId(ctx.options.now())
      : createHash('sha256').update(passKey).digest('hex').slice(0, 26),
  );
  if (previous?.blobKey === key) key = keyOf(createId(ctx.options.now()));
  const content = output.content instanceof Uint8Array ? Readable.from([output.content]) : output.content;
  const put = await putReplacing(ctx, key, content);
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
    const stored = await ctx.catalog.derivatives.get(record.id, output.name).catch(() => undefined);
    if (stored?.blobKey !== key) {
      if (stored !== undefined) await ctx.blobs.delete(key).catch(() => {});
      throw error;
    }
  }
  if (previous && previous.blobKey !== key) await ctx.blobs.delete(previous.blobKey).catch(() => {});
  return derivative;
}

/**
 * Puts `content` at `key`, replacing a blob already there that no record points at (left by
 * an earlier try of the same pass). Stores refuse to overwrite (`CONFLICT`, found only once
 * the stream is consumed), so the key is looked up first.
 */
async function putReplacing(ctx: ForgeContext, key: string, content: Parameters<BlobStore['put']>[1]) {
  if (await ctx.blobs.stat(key)) await ctx.blobs.delete(key);
  return ctx.blobs.put(key, content);
}

/**
 * Removes a derivative: its record, then its blob. Best effort, and in that order only: when
 * the record cannot be removed it keeps its blob (a derivative left whole, never a record
 * pointing at nothing).
 */
export async function discardDerivative(
  ctx: ForgeContext,
  record: FileRecord,
  derivative: DerivativeRecord,
): Promise<void> {
  try {
    await ctx.catalog.derivatives.remove(record.id, derivative.name);
  } catch {
    return;
  }
  await ctx.blobs.delete(derivative.blobKey).catch(() => {});
}

/** Removes derivatives a failed run made (see {@link discardDerivative}). */
export async function discardDerivatives(
  ctx: ForgeContext,
  record: FileRecord,
  made: DerivativeRecord[],
): Promise<void> {
  for (const d of made) await discardDerivative(ctx, record, d);
}
