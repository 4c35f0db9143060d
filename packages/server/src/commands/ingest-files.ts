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
  const found: IngestFiles = { files: [], unreadable: [], badNames: [] };
  for (const path of paths) {
    const s = await stat(path).catch(() => undefined);
    if (s?.isFile()) found.files.push(path);
    else if (s?.isDirectory()) await walk(path, options.recursive, found);
    else found.unreadable.push(path);
  }
  return found;
}

async function walk(dir: string, recursive: boolean, found: IngestFiles): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  entries.sort((a, b) => Buffer.compare(a.name, b.name));
  for (const entry of entries) {
    const name = entry.name.toString('utf8');
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!isUtf8(entry.name)) {
      if (!entry.isDirectory() || recursive) found.badNames.push(path);
    } else if (entry.isFile()) found.files.push(path);
    else if (entry.isDirectory()) {
      if (recursive) await walk(path, recursive, found);
    } else if (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile()) {
      found.files.push(path);
    }
  }
}
