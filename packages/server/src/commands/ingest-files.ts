import { isUtf8 } from 'node:buffer';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What {@link collectIngestFiles} found: the files to send, and the arguments that are neither file nor folder. */
export interface IngestFiles {
  files: string[];
  unreadable: string[];
  /**
   * Files inside the folders whose names are not valid UTF-8 (bytes a POSIX name may hold):
   * no path string reaches them, so they are reported, not sent. Shown with U+FFFD.
   */
  badNames: string[];
  /** Sub-folders the walk may not read (`EACCES`, `EPERM`): reported as failures, the rest still sent. */
  deniedFolders: string[];
}

/**
 * The files the `fileforge ingest` arguments name: a file as given (whatever its name), a
 * folder's files in name order, and with `recursive` those of its sub-folders too. Inside a
 * folder, names starting with a dot (`.DS_Store`, `.fileforge/`) are left out, and a symbolic
 * link is followed only to a file, so a link loop cannot make the walk endless.
 */
export async function collectIngestFiles(
  paths: readonly string[],
  options: { recursive: boolean },
): Promise<IngestFiles> {
  const found: IngestFiles = { files: [], unreadable: [], badNames: [], deniedFolders: [] };
  for (const path of paths) {
    const s = await stat(path).catch(() => undefined);
    if (s?.isFile()) found.files.push(path);
    else if (s?.isDirectory()) {
      if (!(await walk(path, options.recursive, found))) found.unreadable.push(path);
    } else found.unreadable.push(path);
  }
  return found;
}

/** Adds `dir`'s files to `found`; false when `dir` itself may not be read. */
async function walk(dir: string, recursive: boolean, found: IngestFiles): Promise<boolean> {
  let entries: Awaited<ReturnType<typeof readBufferDir>>;
  try {
    entries = await readBufferDir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return false;
    throw error;
  }
  entries.sort((a, b) => Buffer.compare(a.name, b.name));
  for (const entry of entries) {
    const name = entry.name.toString('utf8');
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!isUtf8(entry.name)) {
      if (!entry.isDirectory() || recursive) found.badNames.push(path);
    } else if (entry.isFile()) found.files.push(path);
    else if (entry.isDirectory()) {
      // One sub-folder the user may not read does not stop the others.
      if (recursive && !(await walk(path, recursive, found))) found.deniedFolders.push(path);
    } else if (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile()) {
      found.files.push(path);
    }
  }
  return true;
}

const readBufferDir = (dir: string) => readdir(dir, { withFileTypes: true, encoding: 'buffer' });
