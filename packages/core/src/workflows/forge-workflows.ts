/**
 * `forge.workflows`: the SDK surface of the workflow engine.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { DEFAULT_TENANT, type ForgeContext, isoNow } from '../forge/context.js';
import type { TenantOptions } from '../forge/files.js';
import { createId } from '../ids/id.js';
import type { WorkflowDefinition, WorkflowDefinitionInput } from './definition.js';
import type { WorkflowEngine } from './engine.js';
import { type LintResult, lintWorkflow } from './lint.js';
import type { WorkflowRecord, WorkflowRun, WorkflowSaver } from './model.js';
import type { Schedules } from './schedules.js';
import type { WorkflowStepKind } from './step-kind.js';
import type { RunPage } from './store.js';
import type { EventTriggers } from './triggers.js';

/** A definition as the SDK takes it: YAML/JSON text, a parsed object, or a builder's output. */
export type WorkflowInput = string | WorkflowDefinitionInput | WorkflowDefinition;

/** Options of a manual run. */
export interface ManualRunOptions extends TenantOptions {
  /** The file the run is about (`{{ file.* }}`, steps that work on a file). */
  fileId?: string;
  /** Values for `{{ input.* }}`. */
  input?: Record<string, unknown>;
}

/** Options of `define` and `update`. */
export interface WorkflowSaveOptions extends TenantOptions {
  /**
   * The account saving it on someone's behalf (the server passes its caller): its event and
   * watch triggers then start a run on a file only while that account may change the file by
   * hand (an editor: its own uploads), so a trigger is no way around the permission table.
   * Replaced on every save. @default none: the forge's own rights, runs on every file
   */
  savedBy?: WorkflowSaver;
}

/** The workflow engine's SDK surface (`forge.workflows`). */
export interface ForgeWorkflows {
  /**
   * Validates, lints and stores a workflow; its triggers are live at once. A definition with
   * lint problems is refused with `WORKFLOW_INVALID` (`details.problems`: `{ rule, message, path }`); a taken name with
   * `CONFLICT`.
   *
   * @example
   * ```ts
   * const workflow = await forge.workflows.define(`
   * name: thumbnails
   * on: { event: file.processed, filter: { field: mime, op: glob, value: "image/*" } }
   * steps:
   *   thumb: { uses: image.thumbnail, with: { size: 256 } }
   * `);
   * ```
   */
  define(definition: WorkflowInput, options?: WorkflowSaveOptions): Promise<WorkflowRecord>;
  /** The tenant's workflows, by name. */
  list(options?: TenantOptions): Promise<WorkflowRecord[]>;
  /** One workflow; `NOT_FOUND` when missing (or another tenant's). */
  get(id: string, options?: TenantOptions): Promise<WorkflowRecord>;
  /**
   * Replaces a workflow's definition (linted like `define`; a new name must be free) and who
   * saved it (`savedBy`); runs in progress go on with the new step settings.
   */
  update(id: string, definition: WorkflowInput, options?: WorkflowSaveOptions): Promise<WorkflowRecord>;
  /** Deletes a workflow with its runs; `NOT_FOUND` when missing. */
  remove(id: string, options?: TenantOptions): Promise<void>;
  /**
   * Starts a run now (any workflow, whatever its triggers; a disabled one is refused with
   * `CONFLICT`). Resolves with the run, `pending`; follow it with `getRun`.
   *
   * @example
   * ```ts
   * const run = await forge.workflows.run(workflow.id, { fileId: file.id, input: { channel: 'C123' } });
   * ```
   */
  run(id: string, options?: ManualRunOptions): Promise<WorkflowRun>;
  /** A run with its step timeline; `NOT_FOUND` when missing. */
  getRun(runId: string, options?: TenantOptions): Promise<WorkflowRun>;
  /** A workflow's runs, newest first. */
  listRuns(id: string, options?: TenantOptions & { limit?: number; cursor?: string }): Promise<RunPage>;
  /** The runs about one file, of every workflow, newest first (its history; at most `limit`, ≤ 200, default 50). */
  listFileRuns(fileId: string, options?: TenantOptions & { limit?: number }): Promise<WorkflowRun[]>;
  /** Runs a failed run again from its failed step(s), keeping completed steps; `CONFLICT` unless failed. */
  retryRun(runId: string, options?: TenantOptions): Promise<WorkflowRun>;
  /** Cancels a pending or running run (a final run is returned unchanged). */
  cancelRun(runId: string, options?: TenantOptions): Promise<WorkflowRun>;
  /**
   * Registers a custom step kind (also how `webhook` and `connector.*` kinds arrive).
   *
   * @example
   * ```ts
   * forge.workflows.registerStep({
   *   name: 'audit.log',
   *   options: z.object({ message: z.string() }),
   *   async run(context, { message }) {
   *     await audit.write({ key: context.idempotencyKey, message });
   *     return { logged: true };
   *   },
   * });
   * ```
   */
  registerStep(kind: WorkflowStepKind): void;
  /** Lints a definition against this forge's step kinds, without storing it. */
  lint(definition: WorkflowInput): LintResult;
}

const notFound = (what: string, id: string) =>
  new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:workflows] ${what} ${id} not found`);

/** Creates `forge.workflows`. */
export function createForgeWorkflows(
  ctx: ForgeContext,
  engine: WorkflowEngine,
  schedules: Schedules,
  triggers: Pick<EventTriggers, 'change' | 'enabledWorkflow'> = {
    change: (write) => write(),
    enabledWorkflow: () => undefined,
  },
): ForgeWorkflows {
  const tenantOf = (options?: TenantOptions) => options?.tenant ?? DEFAULT_TENANT;
  const lint = (definition: WorkflowInput) =>
    lintWorkflow(definition, { stepKinds: (n) => engine.kinds.has(n) });
  const checked = (definition: WorkflowInput): WorkflowDefinition => {
    const result = lint(definition);
    if (result.ok && result.definition) return result.definition;
    const [first] = result.problems;
    throw new FileForgeError(
      ErrorCode.WORKFLOW_INVALID,
      `[fileforge:workflows] Invalid workflow: ${first ? `${first.rule} at ${first.path || '(root)'}: ${first.message}` : 'invalid'}${result.problems.length > 1 ? ` (and ${result.problems.length - 1} more)` : ''}`,
      { details: { problems: result.problems } },
    );
  };
  const get = async (id: string, options?: TenantOptions) => {
    const workflow = await engine.store().getWorkflow(tenantOf(options), id);
    if (!workflow) throw notFound('Workflow', id);
    return workflow;
  };
  const getRun = async (runId: string, options?: TenantOptions) => {
    const run = await engine.store().getRun(tenantOf(options), runId);
    if (!run) throw notFound('Run', runId);
    return run;
  };

  return {
    async define(definition, options) {
      const parsed = checked(definition);
      const at = isoNow(ctx);
      const record: WorkflowRecord = {
        id: createId(ctx.options.now()),
        tenant: tenantOf(options),
        name: parsed.name,
        enabled: parsed.enabled,
        definition: parsed,
        savedBy: options?.savedBy ?? null,
        createdAt: at,
        updatedAt: at,
      };
      await triggers.change(() => engine.store().insertWorkflow(record));
      schedules.refresh(record);
      return record;
    },
    list: (options) => engine.store().listWorkflows(tenantOf(options)),
    get,
    async update(id, definition, options) {
      const parsed = checked(definition);
      const updated = await triggers.change(() =>
        engine.store().updateWorkflow(tenantOf(options), id, parsed, isoNow(ctx), options?.savedBy ?? null),
      );
      if (!updated) throw notFound('Workflow', id);
      schedules.refresh(updated);
      return updated;
    },
    async remove(id, options) {
      if (!(await triggers.change(() => engine.store().removeWorkflow(tenantOf(options), id))))
        throw notFound('Workflow', id);
      schedules.refresh({ id, removed: true });
    },
    async run(id, options = {}) {
      // A sole writer's triggers hold its enabled workflows: no read per run.
      const workflow = triggers.enabledWorkflow(tenantOf(options), id) ?? (await get(id, options));
      if (!workflow.enabled) {
        throw new FileForgeError(
          ErrorCode.CONFLICT,
          `[fileforge:workflows] Workflow "${workflow.name}" is disabled`,
        );
      }
      if (options.fileId !== undefined && !(await ctx.catalog.files.get(workflow.tenant, options.fileId))) {
        throw notFound('File', options.fileId);
      }
      const { run } = await engine.startRun({
        id: createId(ctx.options.now()),
        tenant: workflow.tenant,
        workflowId: workflow.id,
        definition: workflow.definition,
        trigger: { kind: 'manual' },
        fileId: options.fileId ?? null,
        input: options.input ?? {},
      });
      return run;
    },
    getRun,
    async listRuns(id, options = {}) {
      await get(id, options);
      return engine.store().listRuns(tenantOf(options), id, {
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
      });
    },
    listFileRuns: (fileId, options = {}) =>
      engine.store().listFileRuns(tenantOf(options), fileId, options.limit ?? 50),
    retryRun: (runId, options) => engine.retryRun(tenantOf(options), runId),
    cancelRun: (runId, options) => engine.cancelRun(tenantOf(options), runId),
    registerStep: (kind) => engine.kinds.register(kind),
    lint,
  };
}

/** `forge.workflows` of a forge whose catalog offers no query builder: every call says why. */
export function workflowsUnavailable(): ForgeWorkflows {
  const fail = (): never => {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:workflows] Workflows need a SQL catalog (one with catalog.db()); this forge was given one without',
    );
  };
  const rejected = async (): Promise<never> => fail();
  return {
    define: rejected,
    list: rejected,
    get: rejected,
    update: rejected,
    remove: rejected,
    run: rejected,
    getRun: rejected,
    listRuns: rejected,
    listFileRuns: rejected,
    retryRun: rejected,
    cancelRun: rejected,
    registerStep: fail,
    lint: fail,
  };
}
