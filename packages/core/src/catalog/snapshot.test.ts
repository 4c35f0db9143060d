import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotCatalog } from './snapshot.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A WAL catalog of about 20 MB (5,000 pages and more) and a writer on its own connection. */
async function busyCatalog() {
  const dir = await mkdtemp(join(tmpdir(), 'ff-snapshot-'));
  dirs.push(dir);
  const path = join(dir, 'fileforge.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('create table t (id integer primary key, v blob)');
  const insert = db.prepare('insert into t (v) values (?)');
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) insert.run(Buffer.alloc(4000, i % 256));
  })();
  return { dir, path, db, insert };
}

describe('snapshotCatalog', () => {
  it('finishes while another connection writes every few milliseconds, with a consistent copy', async () => {
    const { dir, path, db, insert } = await busyCatalog();
    const writer = setInterval(() => insert.run(Buffer.from('w')), 2);
    try {
      await snapshotCatalog(`sqlite:${path}`, join(dir, 'copy.db'));
    } finally {
      clearInterval(writer);
      db.close();
    }
    const copy = new Database(join(dir, 'copy.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare('select count(*) as n from t').get() as { n: number }).n).toBeGreaterThanOrEqual(
      5000,
    );
    copy.close();
  }, 30_000);

  it('stops when its signal is aborted, rejecting with the reason (never hangs)', async () => {
    const { dir, path, db } = await busyCatalog();
    db.close();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    let seen = 0;
    const copying = snapshotCatalog(`sqlite:${path}`, join(dir, 'copy.db'), {
      signal: controller.signal,
      onProgress: () => {
        if (++seen === 1) controller.abort(reason);
      },
    });
    await expect(copying).rejects.toBe(reason);
  });
});
