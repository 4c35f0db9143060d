export { type FilterCondition, matchesFilter } from './condition.js';
export {
  checkWorkflow,
  type DefinitionIssue,
  parseWorkflow,
  type StepRetryOptions,
  triggersOf,
  type WorkflowDefinition,
  type WorkflowDefinitionInput,
  type WorkflowStep,
  type WorkflowTrigger,
  workflowSchema,
} from './definition.js';
export { type ExpressionScope, renderValue } from './expressions.js';
export type {
  ForgeWorkflows,
  ManualRunOptions,
  WorkflowInput,
  WorkflowSaveOptions,
} from './forge-workflows.js';
export {
  type LintOptions,
  type LintProblem,
  type LintResult,
  type LintRule,
  lintWorkflow,
  PROCESSOR_FAMILIES,
} from './lint.js';
export { workflowMigrations } from './migrations.js';
export type {
  RunError,
  RunStatus,
  RunTrigger,
  StepStatus,
  WorkflowRecord,
  WorkflowRun,
  WorkflowSaver,
  WorkflowStepRun,
} from './model.js';
export { PIPELINE_WORKFLOW_ID, type ProcessStepOutput } from './process-step.js';
export { WORKFLOW_RUN_JOB, type WorkflowRunJobPayload } from './run-job.js';
export type { ForgeWorkflowOptions } from './setup.js';
export type { CausedBy, WorkflowStepContext, WorkflowStepKind } from './step-kind.js';
export type { OperationStepOutput } from './step-kinds.js';
export type { RunPage } from './store.js';
export {
  defineWorkflow,
  type StepInput,
  type TriggerInput,
  type WorkflowBuilder,
} from './workflow-builder.js';
