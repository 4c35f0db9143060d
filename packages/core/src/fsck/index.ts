/**
 * Consistency checks of a data directory (`fileforge fsck`) and the orphan-blob sweep used at
 * start-up and periodically by the server.
 *
 * @module
 */
export {
  canFindOrphans,
  DEFAULT_ORPHAN_GRACE_MS,
  findOrphanBlobs,
  type OrphanBlob,
  type OrphanBlobOptions,
  removeOrphanBlobs,
} from './orphans.js';
export { type FsckOptions, runFsck } from './run.js';
export type { FsckProblem, FsckProblemKind, FsckReport } from './types.js';
