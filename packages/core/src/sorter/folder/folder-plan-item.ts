import type { ConflictMode } from '../conflict.js';
import type { SortSubject } from '../subject.js';

/**
 * One file of a folder sort plan, as the sorter's `planSort` produces it (paths relative to
 * the sorted folder). Only the fields the folder sorter reads are named here.
 */
export interface FolderPlanItem {
  id: string;
  from: string | null;
  to: string | null;
  ruleId: string | null;
  category: string | null;
  action: 'move' | 'skip' | 'overwrite' | 'deduplicate' | 'rename_existing' | 'trash' | 'none';
  reason: string;
  displaced?: { path: string; to: string };
  decision: { subject: SortSubject; onConflict: ConflictMode };
}

/** Actions that change something on disk. */
export const MOVING_ACTIONS: ReadonlySet<FolderPlanItem['action']> = new Set([
  'move',
  'overwrite',
  'deduplicate',
  'rename_existing',
  'trash',
]);
