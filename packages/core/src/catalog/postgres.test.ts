import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPostgresCatalog, mapPostgresError, parsePostgresUrl } from './postgres.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('PostgreSQL catalog options', () => {
  it('takes FileForge’s own parameters out of DATABASE_URL and leaves pg’s', () => {
    expect(
      parsePostgresUrl(
        'postgresql://u:p@db:5433/ff?schema=tenant_a&pool_max=4&connect_timeout=2&query_timeout=1500&prepared_statements=off&sslmode=require',
      ),
    ).toEqual({
      connectionString: 'postgresql://u:p@db:5433/ff?sslmode=require',
      schema: 'tenant_a',
      max: 4,
      connectionTimeoutMillis: 2000,
      queryTimeoutMillis: 1500,
      preparedStatements: false,
    });
    expect(() => parsePostgresUrl('postgresql://db/ff?pool_max=lots')).toThrow(/pool_max/);
    expect(() => parsePostgresUrl('postgresql://db/ff?prepared_statements=maybe')).toThrow(
      /prepared_statements/,
    );
  });

  it('refuses a schema name that would need quoting, at construction', () => {
    expect(() => createPostgresCatalog({ url: 'postgresql://db/ff', schema: 'Tenant; drop' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });
});

describe('mapPostgresError', () => {
  it('maps a lost or refused connection, a shutdown and the pool’s timeouts to CATALOG_UNAVAILABLE', () => {
    for (const error of [
      pgError('ECONNREFUSED'),
      pgError('ECONNRESET'),
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('08006'),
      pgError('53300', 'too many connections'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      pgError('0A000', 'cached plan must not change result type'),
    ]) {
      expect(mapPostgresError(error)?.code, error.message).toBe('CATALOG_UNAVAILABLE');
    }
  });

  it('maps disk full to INSUFFICIENT_STORAGE and a unique violation to CONFLICT, keeping the server’s words', () => {
    expect(mapPostgresError(pgError('53100'))?.code).toBe('INSUFFICIENT_STORAGE');
    const conflict = mapPostgresError(
      Object.assign(pgError('23505', 'duplicate key value violates unique constraint "files_tenant_path"'), {
        constraint: 'files_tenant_path',
      }),
    );
    expect(conflict).toMatchObject({ code: 'CONFLICT', details: { constraint: 'files_tenant_path' } });
    expect(conflict?.message).toMatch(/unique constraint/);
  });

  it('passes other errors through', () => {
    expect(mapPostgresError(pgError('42P01', 'relation "nope" does not exist'))).toBeUndefined();
    expect(mapPostgresError(new TypeError('bug'))).toBeUndefined();
  });
});

describe('PostgreSQL catalog errors', () => {
  it('maps a refused connection to CATALOG_UNAVAILABLE for every query, Catalog.db() and transactions included', async () => {
    const catalog = createPostgresCatalog({
      url: 'postgresql://fileforge@127.0.0.1:1/none',
      connectionTimeoutMillis: 2000,
    });
    const unavailable = { code: 'CATALOG_UNAVAILABLE' };
    try {
      // What the sorter, the workflow engine and the webhooks run: queries on Catalog.db().
      await expect(catalog.db!().selectFrom('files').select('id').execute()).rejects.toMatchObject(
        unavailable,
      );
      await expect(
        catalog.transaction((tx) => tx.db!().selectFrom('files').select('id').execute()),
      ).rejects.toMatchObject(unavailable);
      await expect(catalog.files.get('t', 'f')).rejects.toMatchObject(unavailable);
    } finally {
      await catalog.close();
    }
  });
});

describe('the pg driver', () => {
  it('is not loaded by importing @fileforge/core, only by opening a PostgreSQL catalog', () => {
    const probe = `
      import { createRequire } from 'node:module';
      const core = await import('@fileforge/core');
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(k));
      const before = loaded();
      const catalog = core.createPostgresCatalog({ url: 'postgresql://127.0.0.1:1/none' });
      const after = loaded();
      await catalog.close();
      process.stdout.write(JSON.stringify({ before, after }));
    `;
    const result = spawnSync(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', probe],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ before: false, after: true });
    // The child compiles core's sources first: seconds on a busy machine.
  }, 60_000);
});
