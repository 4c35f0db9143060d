export type { StepContext, StepKind, StepResult } from './step-kind.js';
