/**
 * Wires the workflow engine into a forge: the step kinds (`process`, processor operations,
 * the sorter's `classify` and `sort`, custom ones), the `workflow.run` and `file.process`
 * job handlers, the event and schedule triggers, and start-up recovery.
 *
 * @module
 */
import type { ForgeContext } from '../forge/context.js';
import { PROCESS_JOB } from '../forge/context.js';
import { classifyStep, sortStep } from '../sorter/steps.js';
import type { StepKind } from '../steps/step-kind.js';
import type { WorkflowDefinition } from './definition.js';
import { createWorkflowEngine, type WorkflowEngine } from './engine.js';
import { createForgeWorkflows, type ForgeWorkflows } from './forge-workflows.js';
import { pipelineDefinition, runPipeline } from './pipeline.js';
import { PIPELINE_WORKFLOW_ID, processStep } from './process-step.js';
import { WORKFLOW_RUN_JOB } from './run-job.js';
import { createSchedules, type Schedules } from './schedules.js';
import type { WorkflowStepKind } from './step-kind.js';
import { createStepKindRegistry, operationStep } from './step-kinds.js';
import { type EventTriggers, subscribeEventTriggers } from './triggers.js';

/** Workflow options of `createForge` (`ForgeOptions.workflows`). */
export interface ForgeWorkflowOptions {
  /**
   * Processor operations offered as workflow steps by name, e.g.
   * `createOperationRegistry()` names mapped to operations from `@fileforge/processors`.
   * @default none (a step using `image.thumbnail` is then `missing-processor`)
   */
  operations?: Iterable<StepKind>;
  /**
   * Custom step kinds, registered before start-up so that runs resumed at start-up find them
   * (`forge.workflows.registerStep` adds more later). A kind named `classify` or `sort`
   * replaces the sorter's in the default pipeline. @default none
   */
  steps?: Iterable<WorkflowStepKind>;
  /** Longest chain of runs triggering runs through the events they cause. @default 5 */
  maxDepth?: number;
}

/** The workflow engine of one forge. */
export interface ForgeWorkflowEngine {
  engine: WorkflowEngine;
  sdk: ForgeWorkflows;
  /**
   * After migrations, before the queue starts: re-enqueues runs whose job was lost, or hands
   * every unfinished run to the local runs (started with the queue).
   */
  reconcile(): Promise<void>;
  /** After start-up: schedules begin ticking. */
  start(): Promise<void>;
  /**
   * Stops the schedules. The event triggers stay subscribed until the bus is cleared: an event
   * delivered while the queue is already closed fails its listener and is delivered again on
   * the next start, so no trigger is lost to a shutdown. Resolves once the ticks firing have
   * settled: no scheduled run starts after it.
   */
  stop(): Promise<void>;
}

/**
 * Builds the engine and registers its job handlers on `ctx.queue` (the `file.process` job
 * runs the default pipeline) and its triggers on `ctx.events`. Registering the sorter's
 * `classify` and `sort` kinds makes them part of the default pipeline.
 */
export function setUpWorkflows(
  ctx: ForgeContext,
  options: ForgeWorkflowOptions = {},
  wiring: { pipeline: boolean; soleWriter?: boolean; localRuns?: boolean } = { pipeline: true },
): ForgeWorkflowEngine {
  const kinds = createStepKindRegistry();
  kinds.register(processStep(ctx));
  for (const operation of options.operations ?? []) kinds.register(operationStep(ctx, operation));
  for (const kind of options.steps ?? []) kinds.register(kind);
  // The sorter's steps complete the default pipeline; a custom `classify` or `sort` replaces them.
  for (const kind of [classifyStep(ctx), sortStep(ctx)]) if (!kinds.has(kind.name)) kinds.register(kind);

  const engine = createWorkflowEngine(ctx, {
    kinds,
    announces: (workflowId) => workflowId !== PIPELINE_WORKFLOW_ID,
    definitionOf(run, stored): WorkflowDefinition | null {
      return run.workflowId === PIPELINE_WORKFLOW_ID ? pipelineDefinition(kinds) : stored;
    },
    ...(wiring.localRuns ? { local: { maxAttempts: ctx.options.jobMaxAttempts } } : {}),
  });
  const schedules: Schedules = createSchedules(ctx, engine);
  ctx.queue.register(WORKFLOW_RUN_JOB, engine.handleJob);
  if (wiring.pipeline)
    ctx.queue.register(PROCESS_JOB, (payload, job) => runPipeline(ctx, engine, payload, job));
  const triggers: EventTriggers = subscribeEventTriggers(ctx, engine, ctx.events, {
    maxDepth: options.maxDepth ?? 5,
    soleWriter: wiring.soleWriter ?? false,
  });

  return {
    engine,
    sdk: createForgeWorkflows(ctx, engine, schedules, triggers),
    async reconcile() {
      // Before the outbox's first pass: the triggers know which events they listen to.
      await triggers.load();
      // The default pipeline's runs belong to their file.process jobs (reconciled per file).
      // Local runs wait for `start` (with the queue) to execute.
      for (const run of await engine.store().listUnfinishedRuns()) {
        if (run.workflowId !== PIPELINE_WORKFLOW_ID) await engine.enqueue(run.tenant, run.id);
      }
    },
    async start() {
      await schedules.load();
    },
    stop() {
      return schedules.stop();
    },
  };
}
