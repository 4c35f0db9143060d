import { posix } from 'node:path';
import type { SortSubject } from './subject.js';
import { fitName } from './template.js';

/** What to do when the destination is already taken. */
export const CONFLICT_MODES = [
  'skip',
  'overwrite',
  'deduplicate',
  'rename_new',
  'rename_existing',
  'trash',
] as const;
/** One of {@link CONFLICT_MODES}. */
export type ConflictMode = (typeof CONFLICT_MODES)[number];

/** Where displaced files go under `trash`, relative to the sorted folder. */
export const TRASH_FOLDER = '.trash';

/** A file already at a path (or, with `planned`, claimed by an earlier item of the same plan). */
export interface Occupant {
  path: string;
  sha256: string;
  id?: string;
  /** The path is the target of another file in the same plan, not a file on disk yet. */
  planned?: boolean;
  /** Not a file (a folder, a link): never overwritten or moved aside, only named around. */
  notAFile?: boolean;
  /** A real folder (with `notAFile`): files may go into it; anything else on a destination's way blocks it. */
  folder?: boolean;
}

/** What to do with one file whose destination may be taken. */
export interface ConflictResolution {
  /**
   * `move` to `to` (free, or a numbered name); `skip` (leave the file); `overwrite` the
   * occupant at `to`; `deduplicate` (identical content already at `to`: keep that one, do
   * not move this file); `rename_existing` / `trash` (first move the occupant to
   * `displaced.to`, then this file to `to`).
   */
  action: 'move' | 'skip' | 'overwrite' | 'deduplicate' | 'rename_existing' | 'trash';
  to: string;
  displaced?: { path: string; to: string };
  reason: string;
}

/**
 * The `n`th numbered variant of a path, Finder-style: `a/b/name.ext` → `a/b/name 2.ext`.
 * Only the last extension moves behind the number; dot-files keep their name whole
 * (`.env` → `.env 2`). A name at the 255-byte limit is cut before the number to stay within it.
 */
export function numberedName(path: string, n: number): string {
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  const dot = base.lastIndexOf('.');
  // A name already at the length limit gives up the end of its stem for the number.
  const named = dot > 0 ? fitName(base.slice(0, dot), ` ${n}${base.slice(dot)}`) : fitName(base, ` ${n}`);
  return dir === '.' ? named : `${dir}/${named}`;
}

/** The first numbered variant (from 2) of `path` that is not taken. */
export function freeName(path: string, isTaken: (path: string) => boolean): string {
  for (let n = 2; ; n++) {
    const candidate = numberedName(path, n);
    if (!isTaken(candidate)) return candidate;
  }
}

function renamed(wanted: string, isTaken: (path: string) => boolean, why: string): ConflictResolution {
  const to = freeName(wanted, isTaken);
  return { action: 'move', to, reason: `${why}; renamed to ${posix.basename(to)}` };
}

/**
 * Decides what happens to `subject` whose destination is `wanted`. `occupant` is what is
 * there already (or `null`); `isTaken` says whether any other path is in use (on disk or
 * claimed earlier in the plan), for choosing numbered names.
 *
 * An occupant that is only `planned` (another file of the same run) is never overwritten,
 * renamed away or trashed: `overwrite`, `rename_existing` and `trash` then behave like
 * `rename_new`, so two files racing for one destination both survive. Nor is one that is not
 * a file (a folder with its contents, a link).
 */
export function resolveConflict(
  mode: ConflictMode,
  wanted: string,
  subject: SortSubject,
  occupant: Occupant | null,
  isTaken: (path: string) => boolean,
): ConflictResolution {
  if (occupant === null && !isTaken(wanted))
    return { action: 'move', to: wanted, reason: 'destination is free' };
  const what = occupant?.planned ? 'destination claimed by another file in this run' : 'destination occupied';
  switch (mode) {
    case 'skip':
      return { action: 'skip', to: wanted, reason: `${what}; skipped` };
    case 'deduplicate':
      if (occupant && occupant.sha256 === subject.sha256)
        return {
          action: 'deduplicate',
          to: wanted,
          reason: `identical content already at ${wanted}; kept one copy`,
        };
      return renamed(wanted, isTaken, `${what} by different content`);
    case 'rename_new':
      return renamed(wanted, isTaken, what);
  }
  if (occupant?.notAFile) return renamed(wanted, isTaken, 'destination is a folder or link, never replaced');
  if (occupant === null || occupant.planned) return renamed(wanted, isTaken, what);
  switch (mode) {
    case 'overwrite':
      return { action: 'overwrite', to: wanted, reason: `${what}; overwrote the existing file` };
    case 'rename_existing': {
      const to = freeName(wanted, isTaken);
      return {
        action: 'rename_existing',
        to: wanted,
        displaced: { path: wanted, to },
        reason: `${what}; the existing file was renamed to ${posix.basename(to)}`,
      };
    }
    case 'trash': {
      const trashed = `${TRASH_FOLDER}/${wanted}`;
      const to = isTaken(trashed) ? freeName(trashed, isTaken) : trashed;
      return {
        action: 'trash',
        to: wanted,
        displaced: { path: wanted, to },
        reason: `${what}; the existing file was moved to ${to}`,
      };
    }
  }
}
