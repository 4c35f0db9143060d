/**
 * What a running forge offers: the {@link Forge} that `createForge()` resolves with (the
 * SDK's entry point) and that extensions get at `start`.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import type { AuditTrail } from '../audit/index.js';
import type { Catalog } from '../catalog/index.js';
import type { EventBus, ForgeEventName, ForgeEventPayload } from '../events/index.js';
import type { LockManager } from '../locks/index.js';
import type { FileRecord } from '../model/index.js';
import type { ProcessorRegistry } from '../processing/index.js';
import type { JobQueue } from '../queue/index.js';
import type { ForgeSorter } from '../sorter/sdk.js';
import type { RunStepOptions, StepOutcome } from '../steps/run-step.js';
import type { StepKind } from '../steps/step-kind.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { ForgeWatch } from '../watch/forge-watchers.js';
import type { ForgeWorkflows } from '../workflows/forge-workflows.js';
import type { ForgeFiles } from './files.js';
import type { IngestOptions } from './ingest.js';
import type { ResolvedForgeOptions } from './options.js';
import type { StagedFile } from './staged-file.js';

/** A running FileForge instance: the SDK's entry point. */
export interface Forge {
  readonly options: ResolvedForgeOptions;
  /**
   * FileForge's events, typed. Each is committed with the change that causes it and delivered
   * at least once, in order per file, also after a crash: deduplicate by `eventId`.
   */
  readonly events: EventBus;
  readonly processors: ProcessorRegistry;
  readonly blobs: BlobStore;
  /**
   * Keeps every blob this forge deletes until the returned function is called (a backup reads
   * the blobs its catalog copy names; a delete meanwhile must not take them away). Blobs
   * deleted while held are removed at release, unless referenced again; a crash before leaves
   * them to the orphan sweep.
   *
   * @example
   * ```ts
   * const release = forge.holdBlobDeletes();
   * try { await createBackup({ ... }); } finally { await release(); }
   * ```
   */
  holdBlobDeletes(): () => Promise<void>;
  readonly catalog: Catalog;
  readonly queue: JobQueue;
  /** The locks shared by this deployment's instances (`ForgeOptions.locks`). */
  readonly locks: LockManager;
  readonly files: ForgeFiles;
  /**
   * Streams a file in: detects its type from the bytes, stores it atomically, records it
   * together with its `file.uploaded` event, delivers that event and enqueues processing.
   * Resolves with the stored record (status `pending`); `file.processed` or `file.failed`
   * follows.
   */
  ingest(
    source: Readable | AsyncIterable<Uint8Array> | StagedFile,
    options: IngestOptions,
  ): Promise<FileRecord>;
  /**
   * Runs one step kind (e.g. `image.thumbnail` from `@fileforge/processors`) on a stored file
   * and stores the derivatives it makes; resolves with its metadata and the stored
   * derivative records. What the workflow engine does for each step of a workflow.
   *
   * @example
   * ```ts
   * const thumbnail = createOperationRegistry().get('image.thumbnail');
   * const { derivatives } = await forge.runStep(thumbnail, file.id, { size: 512 });
   * ```
   */
  runStep(
    kind: StepKind,
    fileId: string,
    options: unknown,
    runOptions?: RunStepOptions,
  ): Promise<StepOutcome>;
  /** The watched folders (`ForgeOptions.watch`): `rescan()` scans them now. */
  readonly watch: ForgeWatch;
  /**
   * Workflows: define them (YAML/JSON or `defineWorkflow()`), run them on events, schedules or
   * demand, follow, retry and cancel their runs. See docs/workflows.md.
   *
   * @example
   * ```ts
   * const workflow = await forge.workflows.define(defineWorkflow('thumbs')
   *   .on({ event: 'file.processed' })
   *   .step('thumb', 'image.thumbnail', { with: { size: 256 } })
   *   .build());
   * const run = await forge.workflows.run(workflow.id, { fileId });
   * ```
   */
  readonly workflows: ForgeWorkflows;
  /**
   * The sorter: rules, simulate, apply, runs and undo, classification, corrections, the
   * review queue, training, and the sorted tree's folders. See docs/sorted-tree.md.
   *
   * @example
   * ```ts
   * await forge.sorter.rules.put('default', { id: 'invoices', category: 'invoices',
   *   conditions: [{ field: 'text', algorithm: 'any', value: 'invoice' }],
   *   destination: 'invoices/{created:YYYY}/{name}{ext}' });
   * const { items } = await forge.sorter.simulate();
   * ```
   */
  readonly sorter: ForgeSorter;
  /**
   * The audit trail: append-only, hash-chained entries of who did what (the server records
   * logins, uploads, downloads, deletes, rule, workflow, credential, key and user changes).
   * See docs/security-guide.md.
   *
   * @example
   * ```ts
   * await forge.audit.record({ tenant: null, actor: { type: 'system', id: null }, action: 'encryption.key_rotate' });
   * const { ok, broken } = await forge.audit.verify();
   * ```
   */
  readonly audit: AuditTrail;
  /**
   * Commits an event to the durable outbox and delivers it: listeners get it at least once,
   * also after a crash, in order per stream (per file, per workflow run, else per tenant and
   * type). What extensions use for their own events (`integration.connected`, …).
   */
  publish<E extends ForgeEventName>(type: E, payload: ForgeEventPayload<E>): Promise<void>;
  /** True once `close()` has begun. */
  readonly closing: boolean;
  /**
   * Stops accepting files, lets running jobs finish (up to `shutdownGraceMs`, after which
   * they are left to run again on the next start), delivers the events due, and closes the
   * catalog. `graceMs` overrides `shutdownGraceMs` for this close (what is left of a grace
   * period that began earlier, as the server's shutdown gives it); the first call's wins.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}
