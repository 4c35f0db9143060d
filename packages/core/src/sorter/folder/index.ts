/**
 * The folder sorter: sorts a folder on disk in place (what `fileforge sort DIR` runs), with a
 * journal per run so every run can be undone and a run killed mid-way is recovered.
 *
 * @module
 */
export { applyFolderPlan } from './apply.js';
export type { AppliedItem, ApplyFolderPlanOptions, SortRunReport } from './apply-types.js';
export type { FolderPlanItem } from './folder-plan-item.js';
export {
  assertStateFolder,
  defaultJournalDir,
  defaultRunIndexDir,
  type JournalEntry,
  lookUpRun,
  type RunJournal,
  readJournal,
  unfinishedRuns,
} from './journal.js';
export { type MoveOps, type MoveVia, NODE_MOVE_OPS } from './move.js';
export {
  type FolderPlan,
  type PlanFolderOptions,
  planFolder,
  rulesNeedHash,
  rulesNeedText,
} from './plan-folder.js';
export {
  type FolderFile,
  hashFile,
  type ReadFileSubjectOptions,
  readFileSubject,
  type TextExtractor,
  type TextExtractorFile,
} from './read-file-subject.js';
export { type RecoverRunOptions, type RecoveryReport, recoverRun, recoverUnfinishedRuns } from './recover.js';
export { runState, type SeqState } from './run-state.js';
export { FOLDER_STATE_DIR, type ScanFolderOptions, scanFolder } from './scan.js';
export { type UndoReport, type UndoSortRunOptions, undoSortRun } from './undo.js';
