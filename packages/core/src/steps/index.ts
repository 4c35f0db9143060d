export type { ProcessJobPayload } from './process.js';
export { type RunStepOptions, runStep, type StepOutcome } from './run-step.js';
export type { StepContext, StepKind, StepResult } from './step-kind.js';
