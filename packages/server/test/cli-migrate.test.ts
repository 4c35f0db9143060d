/**
 * `fileforge migrate` on PostgreSQL (issue 13), and scheduled backups on PostgreSQL (issue 12): the
 * real CLI in child processes against the machine's PostgreSQL, in a schema of its own.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  auditMigrations,
  coreMigrations,
  createPostgresCatalog,
  type MigrationModule,
  sorterMigrations,
  workflowMigrations,
} from '@fileforge/core';
import { connectorMigrations, webhookMigrations } from '@fileforge/integrations';
import {
  POSTGRES_TEST_URL,
  type PostgresTestSchema,
  postgresTestSchema,
  requireService,
} from '@fileforge/test-fixtures/services';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { admissionMigrations } from '../src/admission/migrations.js';
import { listBackups } from '../src/backup/names.js';
import { readEntries } from './support/backup-archive.js';
import { freePort, serveEnv, spawnCli } from './support/child.js';
import { eventually, makeTempDir, stopTestServers } from './support/server.js';

const available = await requireService('PostgreSQL', POSTGRES_TEST_URL);

let schema: PostgresTestSchema | undefined;
afterEach(async () => {
  await stopTestServers();
  await schema?.drop();
  schema = undefined;
});

const MODULES: MigrationModule[] = [
  coreMigrations,
  workflowMigrations,
  sorterMigrations,
  auditMigrations,
  webhookMigrations,
  connectorMigrations,
  admissionMigrations,
];

async function fileforge(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, { LOG_LEVEL: 'silent', ...env });
  const code = await cli.exited;
  return { code, ...cli.output() };
}

describe('fileforge migrate without its database', () => {
  it('exits 1 naming the catalog and the connection error when PostgreSQL does not answer', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort(); // nothing listens there
    const dataDir = join(await makeTempDir('fileforge-migrate-'), 'data');
    const run = await fileforge(['migrate'], {
      DATABASE_URL: `postgresql://127.0.0.1:${port}/test`,
      DATA_DIR: dataDir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\[fileforge:catalog\] Catalog unavailable \(ECONNREFUSED/);
    expect(run.stdout).toBe('');
  });
});

describe.skipIf(!available)('fileforge migrate on PostgreSQL (issue 13)', () => {
  it('applies every module’s pending migrations once, lists them, and finds nothing the second time', async () => {
    schema = postgresTestSchema();
    const dataDir = join(await makeTempDir('fileforge-migrate-'), 'data');
    const env = { DATABASE_URL: schema.url, DATA_DIR: dataDir };

    const first = await fileforge(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    const expected = MODULES.flatMap((m) =>
      Object.keys(m.migrations).map((name) => `applied ${m.name}/${name}`),
    );
    const lines = first.stdout.trim().split('\n');
    expect(lines.slice(0, -1)).toEqual(expected);
    expect(lines.at(-1)).toBe(`${expected.length} migrations applied to the postgresql catalog`);

    const second = await fileforge(['migrate', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ engine: 'postgresql', applied: [] });

    // The tables are in the configured schema, and nothing was written to the data directory.
    const catalog = createPostgresCatalog({ url: schema.url, max: 1 });
    try {
      const db = catalog.db?.();
      if (!db) throw new Error('a SQL catalog offers db()');
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema.schema}`.execute(db);
      expect(rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining([
          'files',
          'jobs',
          'event_outbox',
          'workflow_runs',
          'sort_moves',
          'audit_log',
          'webhook_attempts',
          'connector_credentials',
          'tenant_quotas',
          'upload_reservations',
          'idempotency_keys',
        ]),
      );
    } finally {
      await catalog.close();
    }
    expect(existsSync(join(dataDir, 'fileforge.db'))).toBe(false);
  });

  it('scheduled backups run on PostgreSQL: serve with BACKUP_ENABLED writes complete archives of the catalog dump', {
    timeout: 60_000,
  }, async () => {
    schema = postgresTestSchema();
    const parent = await makeTempDir('fileforge-pg-backup-');
    const backups = join(parent, 'backups');
    const port = await freePort();
    const serve = spawnCli(
      ['serve'],
      serveEnv(port, join(parent, 'data'), {
        DATABASE_URL: schema.url,
        BACKUP_ENABLED: 'true',
        BACKUP_INTERVAL_HOURS: '0.0005',
        BACKUP_DIR: backups,
        LOG_LEVEL: 'silent',
      }),
    );
    try {
      const [archive] = await eventually(
        async () => {
          const found = await listBackups(backups);
          return found.length > 0 ? found : undefined;
        },
        `a scheduled backup in ${backups}: ${serve.output().stderr}`,
        { timeoutMs: 40_000, intervalMs: 200 },
      );
      const entries = (await readEntries(archive!.path)).map((e) => e.header.name);
      expect(entries).toEqual(
        expect.arrayContaining([
          'catalog/postgresql.json',
          'catalog/postgresql/files.jsonl',
          'catalog/postgresql/audit_log.jsonl',
          'catalog/postgresql/tenant_quotas.jsonl',
        ]),
      );
      const manifest = JSON.parse(
        (await readEntries(archive!.path)).find((e) => e.header.name === 'manifest.json')!.body!.toString(),
      );
      expect(manifest).toMatchObject({ catalog: 'postgresql', version: 2 });
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
