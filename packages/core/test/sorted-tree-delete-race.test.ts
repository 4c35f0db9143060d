/**
 * Files deleted while a sort run moves them: the run still ends (the deleted files' moves
 * settled as changed, not a raw ENOENT), and no deleted file's bytes stay in the sorted tree.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { testForges, treeProblems } from './support/sorted-tree.js';

const { newForge } = testForges('fileforge-sort-delete-race-');

describe('sorted tree: deletes during a sort run', () => {
  it.each([0, 8, 20])(
    'after %i ms of a run, deleting every other file leaves the tree matching the catalog',
    {
      timeout: 60_000,
    },
    async (delayMs) => {
      const forge = await newForge();
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) {
        const content = `invoice number ${i}\n`;
        ids.push((await forge.ingest(Readable.from([Buffer.from(content)]), { name: `f${i}.txt` })).id);
      }
      await forge.queue.onIdle();
      await forge.sorter.rules.put('default', {
        id: 'all',
        category: 'docs',
        conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
        destination: 'docs/{name}{ext}',
      });
      const run = forge.sorter.apply();
      await new Promise((r) => setTimeout(r, delayMs));
      const deleted = await Promise.allSettled(
        ids.filter((_, i) => i % 2 === 0).map((id) => forge.files.delete(id)),
      );
      expect(deleted.every((d) => d.status === 'fulfilled')).toBe(true);
      await expect(run).resolves.toMatchObject({ id: expect.any(String) });
      await forge.queue.onIdle();
      expect(await treeProblems(forge)).toEqual([]);
    },
  );
});
