export type {
  DerivativeOutput,
  Processor,
  ProcessorContext,
  ProcessorFile,
  ProcessorSupport,
  ProcessResult,
  RecognisedType,
  WarmUpFailure,
} from './processor.js';
export { warmUpProcessors } from './processor.js';
export { ProcessorRegistry, processorAccepts } from './registry.js';
export { INFRASTRUCTURE_CODES, type RunProcessorsOptions, runProcessors } from './run.js';
export { type FileFailure, REJECTION_MESSAGES, toFileFailure } from './verdict.js';
