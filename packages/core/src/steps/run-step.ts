import { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import type { DerivativeRecord } from '../model/index.js';
import { discardDerivatives, processorFile, storeDerivative } from './derivatives.js';
import type { StepKind } from './step-kind.js';

/** Options for {@link runStep}. */
export interface RunStepOptions {
  /** Cancels the step; derivatives it stored are removed again. */
  signal?: AbortSignal;
  /** @default 'default' */
  tenant?: string;
}

/** What {@link runStep} returns: the step's metadata and the derivatives it stored. */
export interface StepOutcome {
  metadata: Record<string, unknown>;
  derivatives: DerivativeRecord[];
}

/**
 * Runs one step kind on a stored file and stores what it derives: the single place where a
 * step's outputs reach the blob store and the catalog, for the workflow engine and for SDK
 * callers alike. If the step fails, or storing one of its outputs fails, derivatives already
 * stored by this run are removed and the error is thrown. The record's status and metadata
 * are left to the caller (the `process` step owns those).
 */
export async function runStep(
  ctx: ForgeContext,
  kind: StepKind,
  fileId: string,
  options: unknown,
  runOptions: RunStepOptions = {},
): Promise<StepOutcome> {
  const tenant = runOptions.tenant ?? 'default';
  const record = await ctx.catalog.files.get(tenant, fileId);
  if (!record) throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:steps] File ${fileId} not found`);
  const signal = runOptions.signal ?? new AbortController().signal;
  const result = await kind.run(processorFile(ctx, record), options, {
    signal,
    logger: ctx.options.logger,
  });
  const stored: DerivativeRecord[] = [];
  try {
    for (const output of result.derivatives ?? []) {
      signal.throwIfAborted();
      stored.push(await storeDerivative(ctx, record, output));
    }
  } catch (error) {
    // Outputs not stored yet may be streams over scratch files: release them.
    for (const output of (result.derivatives ?? []).slice(stored.length)) {
      if (output.content instanceof Readable) output.content.destroy();
    }
    await discardDerivatives(ctx, record, stored);
    throw error;
  }
  return { metadata: result.metadata ?? {}, derivatives: stored };
}
