/**
 * A page of search results over files with long texts keeps the process responsive: the
 * excerpts around each match are cut in JavaScript from where the match is, not by SQLite's
 * `snippet()`, which read every file's whole text on the event loop (seconds for one page).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteCatalog } from '@fileforge/core';
import { sampleFile } from '@fileforge/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** About 100,000 characters of prose-like text, the words varying from file to file. */
function longText(seed: number): string {
  const words = ['payment', 'invoice', 'the', 'shipment', 'of', 'goods', 'terms', 'net', 'delivery', 'order'];
  const out: string[] = [];
  let x = seed;
  while (out.join(' ').length < 100_000 - 200) {
    for (let i = 0; i < 500; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      out.push(`${words[x % words.length]}${x % 7 === 0 ? '.' : ''}`);
    }
  }
  return out.join(' ').slice(0, 100_000);
}

describe('search excerpts', () => {
  it('a page of 50 files of 100,000 characters each does not hold the event loop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-snippets-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const catalog = createSqliteCatalog({ path: join(dir, 'catalog.db') });
    cleanups.push(() => catalog.close());
    await catalog.migrate();
    for (let i = 0; i < 50; i++) {
      const file = sampleFile({ name: `contract-${i}.pdf` });
      await catalog.files.insert(file);
      await catalog.files.update('default', file.id, { metadata: { pdf: { text: longText(i + 1) } } });
    }

    // better-sqlite3 answers on the event loop: the time the call takes is the time it holds it.
    const started = performance.now();
    const page = await catalog.files.list('default', { q: 'the invoice payment', limit: 50 });
    const held = performance.now() - started;
    expect(page.items).toHaveLength(50);
    const match = page.matches?.[page.items[0]!.id];
    expect(match?.field).toBe('text');
    expect(match?.highlights.length).toBeGreaterThan(0);
    // SQLite's snippet() took seconds here; cutting excerpts in JavaScript takes milliseconds.
    // The bound is generous on purpose.
    expect(held).toBeLessThan(2_000);
  }, 120_000);
});
