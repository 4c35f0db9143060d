import { isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileObservation } from './stability.js';

/** Options for {@link scanFolder}. */
export interface ScanOptions {
  recursive: boolean;
  /** True for relative posix paths (files or folders) never to look at. */
  ignored: (relativePath: string) => boolean;
  /**
   * Told of each file whose name is not valid UTF-8 (a POSIX name may hold any bytes): no
   * path string reaches it, so it is left where it is.
   */
  onUnreadableName?: (relativePath: string) => void;
  /**
   * Told of each entry below the root the process may not read (`EACCES`, `EPERM`): it is
   * skipped, and the rest of the folder is still scanned. Unset, such an entry fails the scan.
   */
  onDenied?: (relativePath: string, error: NodeJS.ErrnoException) => void;
}

/** Errors that mean "this entry is not ours to read": skipped below the root. */
const DENIED = new Set(['EACCES', 'EPERM']);

/**
 * Lists the regular files under `root` with their size and mtime, keyed by relative posix
 * path. Symbolic links are not followed (a link could lead out of the folder or loop), and
 * entries that vanish mid-scan are skipped: a scan is a snapshot, the next one catches up.
 */
export async function scanFolder(root: string, options: ScanOptions): Promise<Map<string, FileObservation>> {
  const found = new Map<string, FileObservation>();
  const walk = async (relative: string) => {
    let entries: Dirent<Buffer>[];
    try {
      // Names as bytes: one that is not UTF-8 would decode to a path (with U+FFFD) no call reaches.
      entries = await readdir(relative ? join(root, relative) : root, {
        withFileTypes: true,
        encoding: 'buffer',
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (relative && (code === 'ENOENT' || code === 'ENOTDIR')) return;
      if (relative && DENIED.has(code) && options.onDenied) {
        options.onDenied(relative, error as NodeJS.ErrnoException);
        return;
      }
      throw error;
    }
    for (const entry of entries) {
      const name = entry.name.toString('utf8');
      const path = relative ? `${relative}/${name}` : name;
      if (options.ignored(path)) continue;
      if (!isUtf8(entry.name)) {
        if (entry.isFile() || entry.isDirectory()) options.onUnreadableName?.(path);
        continue;
      }
      if (entry.isDirectory()) {
        if (options.recursive) await walk(path);
        continue;
      }
      if (!entry.isFile()) continue;
      try {
        const stats = await lstat(join(root, path));
        if (stats.isFile()) found.set(path, { size: stats.size, mtimeMs: stats.mtimeMs });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (DENIED.has(code) && options.onDenied) options.onDenied(path, error as NodeJS.ErrnoException);
        else if (code !== 'ENOENT') throw error;
      }
    }
  };
  await walk('');
  return found;
}
