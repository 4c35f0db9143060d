import { dirname } from 'node:path';
import { lockDirectory } from '@fileforge/core';

/**
 * Holds a sorted folder for one `fileforge sort` or `--undo` at a time (`DIR/.fileforge/sort.pid`,
 * given `DIR/.fileforge`): a second one would take the first one's live journal for a crashed
 * run and settle it under it. Refused with `CONFLICT` while another live process holds it.
 */
export function lockSortedFolder(stateDir: string): Promise<() => Promise<void>> {
  return lockDirectory(
    stateDir,
    'sort.pid',
    (pid) =>
      `${dirname(stateDir)} is being sorted or undone by process ${pid}; wait for it to finish, then run this again`,
  );
}
