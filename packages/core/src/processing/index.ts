export type { DerivativeOutput, Processor, ProcessorContext, ProcessorFile, ProcessResult } from './processor.js';
export { ProcessorRegistry, processorAccepts } from './registry.js';
export { runProcessors, type RunProcessorsOptions } from './run.js';
