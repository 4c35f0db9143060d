import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, createInProcessQueue, createSqliteCatalog } from '@fileforge/core';
import { describe, expect, it } from 'vitest';

// A module adds its job type the way a plugin would: by declaration merging.
declare module '@fileforge/core' {
  interface JobMap {
    'test.echo': { text: string; times?: number };
  }
}

describe('JobMap (issue 8)', () => {
  it('types payloads per job type for modules that add their own, without casts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-jobmap-'));
    const forge = await createForge({ dataDir });
    try {
      const echoed: string[] = [];
      forge.queue.register('test.echo', async ({ text, times = 1 }) => {
        echoed.push(text.repeat(times));
      });
      await forge.queue.enqueue('test.echo', { text: 'ab', times: 2 });
      // @ts-expect-error a payload of the wrong shape does not compile
      const wrongShape = () => forge.queue.enqueue('test.echo', { text: 1 });
      // @ts-expect-error nor does a job type nobody declared
      const undeclared = () => forge.queue.enqueue('test.nope', {});
      expect([wrongShape, undeclared]).toHaveLength(2);
      await forge.queue.onIdle();
      expect(echoed).toEqual(['abab']);
    } finally {
      await forge.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('types a queue by a job map given as a type argument', async () => {
    const catalog = createSqliteCatalog({ path: ':memory:' });
    await catalog.migrate();
    const queue = createInProcessQueue<{ resize: { width: number } }>({ store: catalog.jobs });
    const widths: number[] = [];
    queue.register('resize', async ({ width }) => {
      widths.push(width * 2);
    });
    await queue.start();
    await queue.enqueue('resize', { width: 21 });
    // @ts-expect-error the map has no such job
    const missing = () => queue.enqueue('file.process', { tenant: 'default', fileId: 'x' });
    expect(missing).toBeTypeOf('function');
    await queue.onIdle();
    await queue.close();
    await catalog.close();
    expect(widths).toEqual([42]);
  });
});
