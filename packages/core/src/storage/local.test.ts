import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from './local.js';

const roots: string[] = [];
const realOpen = fs.open;
afterEach(async () => {
  fs.open = realOpen;
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

describe('local blob store', () => {
  it('removes the temp file of a refusal that came before the file was even open', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fileforge-local-'));
    roots.push(root);
    const store = createLocalBlobStore({ root });
    await store.put('t/warm', Readable.from([Buffer.from('ready')])); // directories exist
    // A slow disk: the write stream's open of the temp file completes 50 ms late (as a loaded
    // machine made it in CI), long after the refusal of the first byte.
    fs.open = ((...args: Parameters<typeof fs.open>) => {
      setTimeout(() => (realOpen as (...a: unknown[]) => void)(...args), 50);
    }) as typeof fs.open;
    const refuse = () => {
      throw new Error('not this type');
    };
    await expect(
      store.put('t/refused', Readable.from([Buffer.from('x')]), { head: { bytes: 1, inspect: refuse } }),
    ).rejects.toThrow('not this type');
    fs.open = realOpen;
    await new Promise((resolve) => setTimeout(resolve, 100)); // any late open has completed
    expect(await store.stat('t/refused')).toBeNull();
    expect(await store.sweep()).toBe(0);
  });
});
