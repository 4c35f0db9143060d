/** Helpers of the sorted-tree tests: a forge in a temp dir, files in, and the tree on disk checked against the catalog. */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type FileRecord, type Forge, type ForgeOptions } from '@fileforge/core';
import { afterEach } from 'vitest';

/**
 * Forges (and other temp folders) for one test file, each in a fresh temp directory; closed
 * and removed after every test. `defaults` apply to every forge, `newForge(options)` adds to them.
 */
export function testForges(prefix: string, defaults: ForgeOptions = {}) {
  const dirs: string[] = [];
  const forges: Forge[] = [];
  afterEach(async () => {
    for (const forge of forges.splice(0)) await forge.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async (dirPrefix = prefix) => {
    const dir = await mkdtemp(join(tmpdir(), dirPrefix));
    dirs.push(dir);
    return dir;
  };
  return {
    tempDir,
    async newForge(options: ForgeOptions = {}) {
      const forge = await createForge({ dataDir: await tempDir(), ...defaults, ...options });
      forges.push(forge);
      return forge;
    },
  };
}

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
