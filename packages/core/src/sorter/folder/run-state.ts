import type { JournalEntry, PlannedEntry } from './journal.js';

/** Where one file of a run stands according to its journal. */
export interface SeqState {
  /** The last `planned` entry (a destination taken at move time is planned again). */
  planned: PlannedEntry;
  status: 'pending' | 'moved' | 'failed' | 'abandoned' | 'undone';
}

/** Folds a journal into each file's latest state, in `seq` order. */
export function runState(entries: readonly JournalEntry[]): SeqState[] {
  const bySeq = new Map<number, SeqState>();
  for (const entry of entries) {
    if (entry.type === 'planned') {
      bySeq.set(entry.seq, { planned: entry, status: 'pending' });
      continue;
    }
    if (
      entry.type === 'moved' ||
      entry.type === 'failed' ||
      entry.type === 'abandoned' ||
      entry.type === 'undone'
    ) {
      const state = bySeq.get(entry.seq);
      if (state) state.status = entry.type;
    }
  }
  return [...bySeq.values()].sort((a, b) => a.planned.seq - b.planned.seq);
}

/** Folders the run created, in the order it created them. */
export function createdDirs(entries: readonly JournalEntry[]): string[] {
  return entries.flatMap((e) => (e.type === 'mkdir' ? [e.path] : []));
}
