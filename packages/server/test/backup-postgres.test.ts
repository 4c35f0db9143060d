/**
 * `fileforge backup` / `fileforge restore` on a PostgreSQL catalog (issue 12): the real CLI in
 * child processes against the machine's PostgreSQL, each test in a schema of its own. Backup
 * while the server runs → wipe (schema dropped, blobs deleted) → restore → every file serves
 * its original bytes and every table of the schema has its rows back; a restore killed before
 * or after its swap leaves one whole catalog; a tampered archive and one of the other engine
 * are refused with nothing changed.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, createPostgresCatalog, type Forge, restoreSchemaNames } from '@fileforge/core';
import {
  POSTGRES_TEST_URL,
  type PostgresTestSchema,
  postgresTestSchema,
  requireService,
} from '@fileforge/test-fixtures/services';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestKeys, signingKeyOf } from '../src/backup/manifest-signature.js';
import { createBackup } from '../src/backup/snapshot.js';
import { servedHashes } from './support/backup.js';
import { readEntries, writeEntries } from './support/backup-archive.js';
import { spawnCli } from './support/child.js';
import { makePng, makeText } from './support/fixtures.js';
import {
  makeTempDir,
  startTestServer,
  stopTestServers,
  TOKEN_SECRET,
  waitForFinal,
} from './support/server.js';

const available = await requireService('PostgreSQL', POSTGRES_TEST_URL);

let schema: PostgresTestSchema | undefined;
const forges: Forge[] = [];
afterEach(async () => {
  await stopTestServers();
  for (const forge of forges.splice(0)) await forge.close().catch(() => {});
  if (schema) {
    const { staging, old } = restoreSchemaNames(schema.schema);
    await dropSchemas([schema.schema, staging, old]);
  }
  schema = undefined;
});

async function withDb<T>(
  fn: (db: ReturnType<NonNullable<ReturnType<typeof createPostgresCatalog>['db']>>) => Promise<T>,
) {
  const catalog = createPostgresCatalog({ url: POSTGRES_TEST_URL, max: 1 });
  try {
    const db = catalog.db?.();
    if (!db) throw new Error('a SQL catalog offers db()');
    return await fn(db);
  } finally {
    await catalog.close();
  }
}

async function dropSchemas(names: string[]) {
  await withDb(async (db) => {
    for (const name of names) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(db);
  });
}

async function schemasLike(prefix: string): Promise<string[]> {
  return withDb(async (db) => {
    const { rows } = await sql<{ nspname: string }>`
      select nspname from pg_namespace where nspname like ${`${prefix}%`} order by nspname`.execute(db);
    return rows.map((r) => r.nspname);
  });
}

/** Every table of the schema with its row count, and the files table's rows. */
async function catalogState(name: string) {
  return withDb(async (db) => {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
       where table_schema = ${name} and table_type = 'BASE TABLE' order by table_name`.execute(db);
    const counts: Record<string, number> = {};
    for (const { table_name } of rows) {
      const result = await sql<{
        n: string;
      }>`select count(*)::text as n from ${sql.id(name, table_name)}`.execute(db);
      counts[table_name] = Number(result.rows[0]?.n);
    }
    const files = await sql`select * from ${sql.id(name, 'files')} order by id`.execute(db);
    const audit = await sql`select * from ${sql.id(name, 'audit_log')} order by seq`.execute(db);
    return { counts, files: files.rows, audit: audit.rows };
  });
}

async function cli(args: string[], env: Record<string, string>) {
  const child = spawnCli(args, { LOG_LEVEL: 'silent', SECRET_KEY: TOKEN_SECRET, ...env });
  const code = await child.exited;
  return { code, ...child.output() };
}

/** A PostgreSQL-backed data directory with every module's tables, files processed, a rule, a workflow. */
async function seed(dataDir: string, url: string) {
  const env = { DATABASE_URL: url, DATA_DIR: dataDir };
  // Every module's tables (webhooks, connectors, upload admission too).
  const migrated = await cli(['migrate'], env);
  expect(migrated.code, migrated.stderr).toBe(0);
  const server = await startTestServer({ dataDir, databaseUrl: url });
  await server.forge.sorter.rules.put('default', { id: 'invoices', category: 'invoices' });
  await server.forge.workflows.define({
    name: 'backup-check',
    on: { manual: true },
    steps: { only: { uses: 'process' } },
  });
  const inputs: Array<[string, Buffer]> = [
    ['photo.png', makePng(80, 60)],
    ['notes\n{"evt":"x"}.txt', makeText()],
  ];
  for (const [name, bytes] of inputs) {
    const record = await server.forge.ingest(Readable.from([bytes]), { name });
    await waitForFinal(server.api, record.id);
    await server.forge.audit.record({
      tenant: 'default',
      actor: { type: 'system', id: null },
      action: 'file.upload',
      target: { type: 'file', id: record.id, name },
      details: { size: bytes.length },
    });
  }
  // A processed file is still classified and sorted after: let the pipeline settle.
  await server.forge.queue.onIdle();
  return { server, env };
}

async function openForge(dataDir: string, url: string): Promise<Forge> {
  const forge = await createForge({ dataDir, databaseUrl: url });
  forges.push(forge);
  return forge;
}

describe.skipIf(!available)('backup and restore on PostgreSQL (issue 12)', () => {
  it('backup while serving; a tampered or SQLite archive is refused; wipe → restore: every file serves its bytes, every table its rows, the audit chain verifies', {
    timeout: 120_000,
  }, async () => {
    schema = postgresTestSchema();
    const dataDir = join(await makeTempDir('fileforge-pg-backup-'), 'data');
    const out = await makeTempDir('fileforge-pg-archives-');
    const { server, env } = await seed(dataDir, schema.url);
    const served = await servedHashes(server.forge);
    const before = await catalogState(schema.schema);
    expect(before.counts).toMatchObject({ webhook_endpoints: 0, connector_credentials: 0, tenant_quotas: 0 });
    expect(before.counts.derivatives).toBeGreaterThan(0);
    expect(before.counts.audit_log).toBeGreaterThan(0);

    // While the server runs.
    const backup = await cli(['backup', '--output', out, '--json'], env);
    expect(backup.code, backup.stderr).toBe(0);
    const result = JSON.parse(backup.stdout) as { path: string; objects: number; missing: string[] };
    expect(result.missing).toEqual([]);
    const entries = (await readEntries(result.path)).map((e) => e.header.name);
    for (const table of Object.keys(before.counts))
      expect(entries).toContain(`catalog/postgresql/${table}.jsonl`);
    expect(entries.at(-1)).toBe('manifest.json');
    await server.server.close();

    // Refused, changing nothing: a tampered archive (one more user row, the manifest as it was)…
    const state = await catalogState(schema.schema);
    const archive = await readEntries(result.path);
    const users = archive.find((e) => e.header.name === 'catalog/postgresql/users.jsonl');
    if (!users?.body) throw new Error('the archive has a users table');
    const row = JSON.parse(users.body.toString('utf8').split('\n')[0]!) as Array<string | null>;
    row[0] = `${row[0]}x`;
    users.body = Buffer.concat([users.body, Buffer.from(`${JSON.stringify(row)}\n`)]);
    users.header.size = users.body.length;
    const tampered = join(out, 'tampered.tar.gz');
    await writeEntries(tampered, archive);
    const refused = await cli(['restore', tampered, '--json'], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({
      code: 'BACKUP_INVALID',
      reason: 'size_mismatch',
    });
    // …and a SQLite installation's archive, signed with the same key.
    const sqliteDir = await makeTempDir('fileforge-sqlite-');
    const embedded = await createForge({ dataDir: sqliteDir });
    await embedded.ingest(Readable.from([makeText()]), { name: 'embedded.txt' });
    const sqliteArchive = await createBackup({
      databaseUrl: embedded.options.databaseUrl,
      blobs: embedded.blobs,
      outputDir: out,
      signingKey: signingKeyOf(manifestKeys({ secretKey: TOKEN_SECRET })),
    });
    await embedded.close();
    const other = await cli(['restore', sqliteArchive.path], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/holds a SQLite catalog and DATABASE_URL selects PostgreSQL/);
    expect(await catalogState(schema.schema)).toEqual(state);
    expect(await schemasLike(schema.schema)).toEqual([schema.schema]);

    // Wipe: the schema and every blob.
    await dropSchemas([schema.schema]);
    await rm(server.uploadFolder, { recursive: true, force: true });

    const restore = await cli(['restore', result.path, '--json'], env);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({
      objects: result.objects,
      signature: { verified: true },
    });

    const after = await catalogState(schema.schema);
    // The restore is the restored trail's next entry; the backup's own entry came after its snapshot.
    const header = JSON.parse(
      archive.find((e) => e.header.name === 'catalog/postgresql.json')!.body!.toString('utf8'),
    ) as { tables: Array<{ name: string; rows: number }> };
    const dumped = Object.fromEntries(header.tables.map((t) => [t.name, t.rows]));
    // Every table of the schema was in the snapshot (taken while the server ran) …
    expect(Object.keys(dumped).sort()).toEqual(Object.keys(before.counts).sort());
    // … and has exactly its rows back.
    expect(after.counts).toEqual({ ...dumped, audit_log: dumped.audit_log! + 1 });
    expect(after.files).toEqual(before.files);
    expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
    expect(await schemasLike(schema.schema)).toEqual([schema.schema]);

    const verify = await cli(['audit', 'verify'], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const forge = await openForge(dataDir, schema.url);
    expect(await servedHashes(forge)).toEqual(served);
    // Sequences were moved past the restored rows: the trail keeps growing.
    await forge.ingest(Readable.from([Buffer.from('after the restore')]), { name: 'later.txt' });
  });

  it('SIGKILL before the swap leaves the old catalog served; after the swap the next restore finishes it', {
    timeout: 150_000,
  }, async () => {
    schema = postgresTestSchema();
    const dataDir = join(await makeTempDir('fileforge-pg-backup-'), 'data');
    const out = await makeTempDir('fileforge-pg-archives-');
    const { server, env } = await seed(dataDir, schema.url);
    const backup = await cli(['backup', '--output', out], env);
    expect(backup.code, backup.stderr).toBe(0);
    const archive = backup.stdout.trim();
    const archived = await servedHashes(server.forge);
    // The live data moves on after the backup.
    const extra = await server.forge.ingest(Readable.from([makeText()]), { name: 'after-backup.txt' });
    await waitForFinal(server.api, extra.id);
    // Classified and sorted after it is processed: the snapshot below is of the settled catalog.
    await server.forge.queue.onIdle();
    const live = await servedHashes(server.forge);
    expect(Object.keys(live)).toContain(extra.id);
    const liveState = await catalogState(schema.schema);
    await server.server.close();

    for (const point of ['mid-restore', 'mid-restore:catalog-loaded']) {
      const killed = await cli(['restore', archive], { ...env, FILEFORGE_CRASH_AT: point });
      expect(killed.code, `${point} ${killed.stderr}`).toBe('SIGKILL');
      expect(await catalogState(schema.schema)).toEqual(liveState);
      const forge = await openForge(dataDir, schema.url);
      expect(await servedHashes(forge)).toEqual(live);
      await forge.close();
    }
    expect(await schemasLike(schema.schema)).toContain(restoreSchemaNames(schema.schema).staging);

    // Killed once the schemas have swapped (committed): the next run finishes it, then restores.
    const swapped = await cli(['restore', archive], {
      ...env,
      FILEFORGE_CRASH_AT: 'mid-restore:schema-swapped',
    });
    expect(swapped.code, swapped.stderr).toBe('SIGKILL');
    const again = await cli(['restore', archive], env);
    expect(again.code, again.stderr).toBe(0);
    expect(await schemasLike(schema.schema)).toEqual([schema.schema]);
    const forge = await openForge(dataDir, schema.url);
    expect(await servedHashes(forge)).toEqual(archived);
  });
});
