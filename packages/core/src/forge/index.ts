export type { ProcessJobPayload } from '../steps/process.js';
export { DEFAULT_TENANT, PROCESS_JOB, processJobKey } from './context.js';
export { crashPoint, crashTap } from './crash-point.js';
export { createForge } from './create-forge.js';
export { assertEnginesAvailable } from './engines.js';
export type { ForgeExtension } from './extension.js';
export {
  type ForgeFiles,
  fileDamagedError,
  type OpenedFile,
  type OpenOptions,
  type TenantOptions,
} from './files.js';
export type { Forge } from './forge.js';
export type { IngestOptions } from './ingest.js';
export {
  type ForgeLogger,
  type ForgeOptions,
  forgeOptionsFromConfig,
  type ResolvedForgeOptions,
} from './options.js';
export type { StagedFile } from './staged-file.js';
