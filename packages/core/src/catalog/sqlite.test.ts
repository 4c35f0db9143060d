import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FileForgeError } from '../errors/index.js';
import type { Catalog } from './catalog.js';
import { mapCatalogErrors } from './map-errors.js';
import { catalogEngine, openCatalog } from './open.js';
import { createSqliteCatalog, mapSqliteError } from './sqlite.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('SQLite catalog errors', () => {
  it('reports a full database as INSUFFICIENT_STORAGE, from SQLite’s own error', () => {
    const db = new Database(':memory:');
    try {
      db.exec('create table t (x text)');
      const pages = (db.pragma('page_count', { simple: true }) as number) + 1;
      db.pragma(`max_page_count = ${pages}`);
      let thrown: unknown;
      try {
        for (let i = 0; i < 1000; i++) db.prepare('insert into t values (?)').run('x'.repeat(4096));
      } catch (error) {
        thrown = error;
      }
      expect((thrown as { code?: string }).code).toBe('SQLITE_FULL');
      expect(mapSqliteError(thrown)).toMatchObject({ code: 'INSUFFICIENT_STORAGE' });
      expect(mapSqliteError(new Error('not sqlite'))).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('maps what every store method throws, and lets FileForge errors through', async () => {
    const conflict = new FileForgeError('CONFLICT', 'taken');
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const fake = {
      dialect: 'sqlite',
      files: { insert: () => Promise.reject(full), get: () => Promise.resolve(null) },
      accounts: { createUser: () => Promise.reject(conflict) },
    } as unknown as Catalog;
    const mapped = mapCatalogErrors(fake, mapSqliteError);
    await expect(mapped.files.insert({} as never)).rejects.toMatchObject({
      code: 'INSUFFICIENT_STORAGE',
      cause: full,
    });
    await expect(mapped.files.get('t', 'x')).resolves.toBeNull();
    await expect(mapped.accounts.createUser({} as never)).rejects.toBe(conflict);
  });
});

describe('SQLite catalog errors on a real database', () => {
  it('maps the faults of every query: stores, compiled statements, transactions and Catalog.db()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-map-'));
    dirs.push(dir);
    const path = join(dir, 'c.db');
    const writable = createSqliteCatalog({ path });
    await writable.migrate();
    await writable.close();
    // Every write to a read-only database fails with SQLITE_READONLY.
    const catalog = createSqliteCatalog({ path, readOnly: true });
    const unavailable = { code: 'CATALOG_UNAVAILABLE', message: expect.stringContaining('SQLITE_READONLY') };
    try {
      // What the sorter, the workflow engine and the webhooks run: queries on Catalog.db().
      await expect(catalog.db!().deleteFrom('files').execute()).rejects.toMatchObject(unavailable);
      await expect(catalog.transaction((tx) => tx.db!().deleteFrom('files').execute())).rejects.toMatchObject(
        unavailable,
      );
      // A store method, and one whose statement is a compiled template run directly.
      await expect(catalog.jobs.expireLeases('worker-1')).rejects.toMatchObject(unavailable);
      await expect(catalog.outbox.prune(new Date().toISOString())).rejects.toMatchObject(unavailable);
      await expect(
        catalog.outbox.append({
          id: 'e1',
          type: 'file.processed',
          stream: 't/f',
          payload: {},
          createdAt: new Date().toISOString(),
        }),
      ).rejects.toMatchObject(unavailable);
      // Reads still work.
      await expect(catalog.db!().selectFrom('files').select('id').execute()).resolves.toEqual([]);
    } finally {
      await catalog.close();
    }
  });
});

describe('openCatalog', () => {
  it('knows SQLite and PostgreSQL by URL, and refuses other engines before touching the disk', async () => {
    expect(catalogEngine('sqlite:./data/x.db')).toBe('sqlite');
    expect(catalogEngine('file:./data/x.db')).toBe('sqlite');
    expect(catalogEngine('postgresql://user@localhost/db')).toBe('postgresql');
    expect(catalogEngine('postgres://x')).toBe('postgresql');
    expect(() => catalogEngine('mysql://x')).toThrow(/not a catalog FileForge knows/);
    await expect(openCatalog('mysql://x')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('opens SQLite from a sqlite: URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-open-'));
    dirs.push(dir);
    const catalog = await openCatalog(`sqlite:${join(dir, 'c.db')}`);
    await catalog.migrate();
    await catalog.ping();
    expect(catalog.dialect).toBe('sqlite');
    await catalog.close();
  });
});
