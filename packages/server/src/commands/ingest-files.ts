import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What {@link collectIngestFiles} found: the files to send, and the arguments that are neither file nor folder. */
export interface IngestFiles {
  files: string[];
  unreadable: string[];
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
  const found: IngestFiles = { files: [], unreadable: [] };
  for (const path of paths) {
    const s = await stat(path).catch(() => undefined);
    if (s?.isFile()) found.files.push(path);
    else if (s?.isDirectory()) await walk(path, options.recursive, found.files);
    else found.unreadable.push(path);
  }
  return found;
}

async function walk(dir: string, recursive: boolean, into: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isFile()) into.push(path);
    else if (entry.isDirectory()) {
      if (recursive) await walk(path, recursive, into);
    } else if (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile()) {
      into.push(path);
    }
  }
}
