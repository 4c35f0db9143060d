import { describe, expect, it } from 'vitest';
import { addFile, testForges } from './support/sorted-tree.js';

const { newForge } = testForges('fileforge-folders-', { materialize: false });

describe('browsing the sorted tree (issue 10 review: counted and paged in the catalog)', () => {
  it('pages through sub-folders then files, with counts, whatever the page size', async () => {
    const forge = await newForge();
    // x-N.txt goes to docs/x/, y-N.txt to docs/y/sub/, z-N.txt to docs/ directly; docs0 is a
    // sibling whose name sorts right after "docs/" and must never show up under docs.
    const put = async (name: string, destination: string) => {
      await forge.sorter.rules.put('default', {
        id: 'r',
        conditions: [{ field: 'name', op: 'eq', value: name }],
        destination,
      });
      await addFile(forge, name, `${name}\n`);
    };
    for (let i = 0; i < 3; i++) await put(`x-${i}.txt`, 'docs/x/{name}{ext}');
    for (let i = 0; i < 2; i++) await put(`y-${i}.txt`, 'docs/y/sub/{name}{ext}');
    for (let i = 0; i < 4; i++) await put(`z-${i}.txt`, 'docs/{name}{ext}');
    await put('other.txt', 'docs0/{name}{ext}');

    const whole = await forge.sorter.folders('default', 'docs', { limit: 500 });
    expect(whole.folders).toEqual([
      { name: 'x', path: 'docs/x', fileCount: 3 },
      { name: 'y', path: 'docs/y', fileCount: 2 },
    ]);
    expect(whole.files.map((f) => f.path)).toEqual([
      'docs/z-0.txt',
      'docs/z-1.txt',
      'docs/z-2.txt',
      'docs/z-3.txt',
    ]);
    expect(whole.nextCursor).toBeNull();

    for (const limit of [1, 2, 3, 5]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await forge.sorter.folders('default', 'docs', { limit, ...(cursor ? { cursor } : {}) });
        expect(page.folders.length + page.files.length).toBeLessThanOrEqual(limit);
        seen.push(...page.folders.map((f) => `d:${f.path}`), ...page.files.map((f) => `f:${f.path}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, `limit ${limit}`).toEqual([
        'd:docs/x',
        'd:docs/y',
        'f:docs/z-0.txt',
        'f:docs/z-1.txt',
        'f:docs/z-2.txt',
        'f:docs/z-3.txt',
      ]);
    }
    const top = await forge.sorter.folders('default', '');
    expect(top.folders).toEqual([
      { name: 'docs', path: 'docs', fileCount: 9 },
      { name: 'docs0', path: 'docs0', fileCount: 1 },
    ]);
    await expect(
      forge.sorter.folders('default', 'docs', { cursor: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses to plan more processed files than maxFiles at once (the HTTP API sets 10,000)', async () => {
    const forge = await newForge();
    const files = [];
    for (let i = 0; i < 3; i++) files.push(await addFile(forge, `n-${i}.txt`, `${i}\n`));
    await expect(forge.sorter.simulate({ maxFiles: 2 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await forge.sorter.simulate({ maxFiles: 3 })).items).toHaveLength(3);
    expect((await forge.sorter.simulate({ fileIds: [files[0]!.id], maxFiles: 2 })).items).toHaveLength(1);
  });
});
