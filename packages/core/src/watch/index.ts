/**
 * Folder watching: ingest files dropped into a folder once they are fully written, each
 * claimed by exactly one watcher.
 *
 * @module
 */
export { type Claim, claimFileName, parseClaimFileName } from './claim.js';
export {
  type ClaimedFile,
  createFolderWatcher,
  type FolderWatcher,
  type FolderWatcherOptions,
  type WatchScanResult,
} from './folder-watcher.js';
export {
  createForgeWatchers,
  type ForgeWatch,
  forgeWatch,
  type WatchFolderOptions,
} from './forge-watchers.js';
export { CLAIM_DIR, createIgnore, DEFAULT_WATCH_IGNORE } from './ignore.js';
