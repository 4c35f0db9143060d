/** Helpers of the sorted-tree tests: a forge in a temp dir, files in, and the tree on disk checked against the catalog. */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { FileRecord, Forge } from '@fileforge/core';

/** Stores one file and waits until it is processed. */
export async function addFile(
  forge: Forge,
  name: string,
  content: string,
  tenant = 'default',
): Promise<FileRecord> {
  const record = await forge.ingest(Readable.from([Buffer.from(content)]), { name, tenant });
  await forge.queue.onIdle();
  return (await forge.files.get(record.id, { tenant })) as FileRecord;
}

/** Every regular file under `dir` (relative posix paths), skipping nothing. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const full = join(d, name);
      if (lstatSync(full).isDirectory()) visit(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

/** Every record of a tenant (all pages). */
export async function allFiles(forge: Forge, tenant = 'default'): Promise<FileRecord[]> {
  const out: FileRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await forge.files.list({ tenant, limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * The tree on disk as the catalog says it must be: for each record with a path, exactly one
 * entry at `<sorted>/<tenant>/<path>`, the same inode as its blob; no other entries.
 * Returns the problems found (empty when they agree).
 */
export async function treeProblems(forge: Forge, tenant = 'default'): Promise<string[]> {
  const root = join(forge.options.sortedFolder, tenant);
  const onDisk = new Set(walk(root));
  const problems: string[] = [];
  for (const record of await allFiles(forge, tenant)) {
    if (record.path === null) continue;
    if (!onDisk.delete(record.path)) {
      problems.push(`missing on disk: ${record.path}`);
      continue;
    }
    const entry = statSync(join(root, ...record.path.split('/')));
    const blob = statSync(forge.blobs.localPath?.(record.blobKey) as string);
    if (entry.ino !== blob.ino) problems.push(`not the blob: ${record.path}`);
  }
  for (const stray of onDisk) problems.push(`not in the catalog: ${stray}`);
  return problems;
}
