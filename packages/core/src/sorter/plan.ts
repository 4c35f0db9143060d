import { type ConflictResolution, type Occupant, resolveConflict } from './conflict.js';
import type { Decision } from './decide.js';

/** One line of a sort plan: where a file is, where it goes, which rule said so and why. */
export interface PlanItem {
  id: string;
  /** Current path under the sorted folder, or `null` when the file is not there yet. */
  from: string | null;
  /** Where it goes (for `skip` and `deduplicate`: the path it wanted); `null` when it stays. */
  to: string | null;
  ruleId: string | null;
  category: string | null;
  action: ConflictResolution['action'] | 'none';
  reason: string;
  /** The occupant moved out of the way first (`rename_existing`, `trash`). */
  displaced?: { path: string; to: string };
  decision: Decision;
}

const MOVES = new Set<PlanItem['action']>(['move', 'overwrite', 'rename_existing', 'trash']);

/** Every folder a path needs, outermost first: `a/b/c.txt` → `a`, `a/b`. */
export function foldersOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Why a destination cannot be made: one of its folders is held by a file or a link. */
function blockedBecause(path: string, state: ReadonlyMap<string, Occupant>): string | null {
  for (const folder of foldersOf(path)) {
    const there = state.get(folder);
    if (there === undefined || there.folder) continue;
    const what = there.notAFile ? 'a link (or another special file)' : 'a file';
    return `${folder} is ${what}, not a folder, so ${path} cannot be made; skipped`;
  }
  return null;
}

/**
 * Turns decisions into a plan without touching anything. `occupied` maps each path already
 * in use under the sorted folder to what is there; a file's current place is the entry
 * whose `id` is the subject's id. Items are resolved in order, and each sees the targets of
 * the items before it as taken, so two files wanting one destination both survive (under
 * `rename_new` the second becomes `name 2.ext`). A path a file leaves becomes free for the
 * items after it. A file in the way that the plan's rules place too (where it is, or
 * elsewhere later in the plan) is never overwritten, set aside or trashed, whatever the
 * conflict mode: the newcomer gets a numbered name, as with a destination claimed in this run.
 * A destination one of whose folders is a file (or a link) in `occupied` or in the plan is
 * skipped: the folder cannot be made. A decision without destination, or a file already at
 * its destination, gets action `none`.
 */
export function planSort(decisions: Decision[], occupied: Map<string, Occupant>): PlanItem[] {
  const state = new Map(occupied);
  const where = new Map<string, string>();
  for (const [path, occupant] of occupied) if (occupant.id !== undefined) where.set(occupant.id, path);
  // Folders the tree has (or the plan makes): a file is never put where one is.
  const folders = new Set<string>();
  const addFolders = (path: string) => {
    for (const folder of foldersOf(path)) folders.add(folder);
  };
  for (const path of state.keys()) addFolders(path);
  const isTaken = (path: string) => state.has(path) || folders.has(path);
  // Files of this plan that its rules place (where they are, or elsewhere): what they hold is
  // theirs. One in the way of another file is never overwritten, set aside or trashed — one
  // moving on would carry the newcomer's content or leave from the trash, one in place would
  // come back at the next run and push the newcomer out (sorting again must change nothing):
  // the newcomer gets a numbered name.
  const placed = new Set<string>();
  for (const d of decisions) if (d.destination !== null && where.has(d.subject.id)) placed.add(d.subject.id);
  const occupantOf = (path: string): Occupant | null => {
    const occupant = state.get(path) ?? null;
    if (occupant === null && folders.has(path)) return { path, sha256: '', notAFile: true, folder: true };
    return occupant?.id !== undefined && !occupant.planned && placed.has(occupant.id)
      ? { ...occupant, planned: true }
      : occupant;
  };

  return decisions.map((decision): PlanItem => {
    const { subject } = decision;
    const from = where.get(subject.id) ?? null;
    const base = { id: subject.id, from, ruleId: decision.ruleId, category: decision.category, decision };
    const wanted = decision.destination;
    if (wanted === null) {
      const reason =
        decision.ruleId === null ? 'no rule matched' : `rule "${decision.ruleId}" sets no destination`;
      return { ...base, to: null, action: 'none', reason };
    }
    if (from === wanted) return { ...base, to: wanted, action: 'none', reason: 'already in place' };
    const blocked = blockedBecause(wanted, state);
    if (blocked !== null) return { ...base, to: wanted, action: 'skip', reason: blocked };

    const resolution = resolveConflict(decision.onConflict, wanted, subject, occupantOf(wanted), isTaken);
    if (resolution.displaced) {
      const { path, to } = resolution.displaced;
      const moved = state.get(path);
      if (moved) {
        addFolders(to);
        state.set(to, { ...moved, path: to });
        if (moved.id !== undefined) where.set(moved.id, to);
      }
    }
    if (MOVES.has(resolution.action)) {
      if (from !== null && state.get(from)?.id === subject.id) state.delete(from);
      state.set(resolution.to, {
        path: resolution.to,
        sha256: subject.sha256,
        id: subject.id,
        planned: true,
      });
      where.set(subject.id, resolution.to);
      addFolders(resolution.to);
    }
    return {
      ...base,
      to: resolution.to,
      action: resolution.action,
      reason: resolution.reason,
      ...(resolution.displaced ? { displaced: resolution.displaced } : {}),
    };
  });
}
