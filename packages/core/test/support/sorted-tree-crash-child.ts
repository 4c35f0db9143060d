/**
 * A small FileForge program for the sorted-tree crash test, run in a child process (tsx + the
 * `@fileforge/source` condition): `sorted-tree-crash-child.ts <dataDir> setup|move|delete|resume`.
 * `setup` stores three text files and sorts the first under `docs/`; `move` applies a run
 * that moves all three under `moved/` (with FILEFORGE_CRASH_AT set, the forge kills this
 * process at that point of the first move); `delete` deletes the sorted file (killed at a
 * `delete:` point); `resume` only starts and stops, so start-up recovery settles the journal.
 */
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';

const [dataDir, mode] = process.argv.slice(2) as [string, 'setup' | 'move' | 'delete' | 'resume'];
const forge = await createForge({ dataDir });
if (mode === 'setup') {
  const ids: string[] = [];
  for (const name of ['first.txt', 'second.txt', 'third.txt']) {
    const record = await forge.ingest(Readable.from([Buffer.from(`${name}\n`)]), { name });
    ids.push(record.id);
  }
  await forge.queue.onIdle();
  await forge.sorter.rules.put('default', {
    id: 'docs',
    conditions: [{ field: 'name', op: 'eq', value: 'first.txt' }],
    destination: 'docs/{name}{ext}',
  });
  await forge.sorter.sortFile('default', ids[0] as string);
}
if (mode === 'move') {
  await forge.sorter.apply({
    rules: [
      {
        id: 'moved',
        conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
        destination: 'moved/{name}{ext}',
      },
    ],
  });
}
if (mode === 'delete') {
  const sorted = (await forge.files.list()).items.find((f) => f.name === 'first.txt');
  await forge.files.delete(sorted!.id);
}
await forge.close();
