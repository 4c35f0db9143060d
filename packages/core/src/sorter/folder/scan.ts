import { isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type FolderFile, type ReadFileSubjectOptions, readFileSubject } from './read-file-subject.js';

/** The folder sorter's own area inside a sorted folder (journal, trash); never scanned. */
export const FOLDER_STATE_DIR = '.fileforge';

/** Options for {@link scanFolder}. */
export interface ScanFolderOptions extends ReadFileSubjectOptions {
  /**
   * Descend into sub-folders. Off by default: like `organize` and Hazel, a folder's own
   * files are sorted and what is already filed in sub-folders is left alone.
   * @default false
   */
  recursive?: boolean;
  /**
   * Include names starting with a dot (`.bashrc`, `.DS_Store`). The `.fileforge` area and
   * the sorter's temporary files are skipped regardless.
   * @default false
   */
  dotfiles?: boolean;
  /**
   * Files read at once. Each read is one open, one read of up to 64 KiB (more for text,
   * up to `textCapBytes`), with `hash` a streamed hash and with `extractText` one
   * extraction (PDFs, Office documents).
   * @default 16
   */
  concurrency?: number;
  /**
   * Told of each file left out that a user would expect in the plan: one whose name is not
   * valid UTF-8 (the bytes a POSIX name may hold), which no path string can reach, or one (or
   * a sub-folder) this user may not read; it is neither read nor moved.
   */
  onSkip?: (path: string, reason: string) => void;
}

/** Refusals that leave one file or sub-folder out of a scan rather than stop it. */
const DENIED = new Set(['EACCES', 'EPERM']);
const denied = (error: unknown) => DENIED.has((error as NodeJS.ErrnoException)?.code ?? '');

/** A temporary name of the sorter's across-filesystem copy (see `move.ts`). */
export const TEMP_SUFFIX = '.fileforge-tmp';

/**
 * Lists the regular files of `dir` (symbolic links, sockets and devices are never followed
 * nor listed) and builds each one's {@link SortSubject} with {@link readFileSubject}.
 * Files come back sorted by path, so plans are the same from one run to the next.
 *
 * @example
 * ```ts
 * const files = await scanFolder('/home/me/Downloads', { recursive: true });
 * ```
 */
export async function scanFolder(dir: string, options: ScanFolderOptions = {}): Promise<FolderFile[]> {
  const paths: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    // Names as bytes: one that is not UTF-8 would come back with U+FFFD in it, a path no call reaches.
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(relative ? join(dir, relative) : dir, {
        withFileTypes: true,
        encoding: 'buffer',
      });
    } catch (error) {
      // A sub-folder this user may not read is left out, said so; the folder itself must be readable.
      if (!relative || !denied(error)) throw error;
      options.onSkip?.(relative, 'the folder cannot be read (permission denied); it was left as it is');
      return;
    }
    for (const entry of entries) {
      const name = entry.name.toString('utf8');
      // Never a run's state, at any depth (a sub-folder sorted on its own has its own).
      if (name === FOLDER_STATE_DIR) continue;
      if (name.startsWith('.') && (!options.dotfiles || name.endsWith(TEMP_SUFFIX))) continue;
      const path = relative ? `${relative}/${name}` : name;
      if (!isUtf8(entry.name)) {
        if (entry.isFile() || (entry.isDirectory() && options.recursive))
          options.onSkip?.(path, 'its name is not valid UTF-8; rename it to sort it');
        continue;
      }
      if (entry.isFile()) paths.push(path);
      else if (entry.isDirectory() && options.recursive) await walk(path);
    }
  };
  await walk('');
  paths.sort();
  const files = new Array<FolderFile | undefined>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      const path = paths[index]!;
      // A file removed between the listing and the read is simply not there any more.
      files[index] = await readFileSubject(join(dir, path), path, options).catch(
        (error: NodeJS.ErrnoException) => {
          if (error?.code === 'ENOENT') return undefined;
          if (!denied(error)) throw error;
          options.onSkip?.(path, 'the file cannot be read (permission denied); it was left where it is');
          return undefined;
        },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  return files.filter((f): f is FolderFile => f !== undefined);
}
