/**
 * A whole forge on PostgreSQL (issue 13): the modules' stores (sorter, workflows, audit) on the
 * machine's PostgreSQL, each test in a schema of its own; and migrations started by several
 * processes at once applied once.
 */
import { Readable } from 'node:stream';
import {
  auditMigrations,
  coreMigrations,
  createPostgresCatalog,
  type Forge,
  type ForgeOptions,
  runMigrations,
  sorterMigrations,
  workflowMigrations,
} from '@fileforge/core';
import {
  POSTGRES_TEST_URL,
  type PostgresTestSchema,
  postgresTestSchema,
  requireService,
} from '@fileforge/test-fixtures/services';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, makeForge, recordingStep, waitForRun } from './support/workflow-forge.js';

const available = await requireService('PostgreSQL', POSTGRES_TEST_URL);

const schemas: PostgresTestSchema[] = [];
afterEach(async () => {
  await cleanUp();
  for (const s of schemas.splice(0)) await s.drop();
});

const newSchema = () => {
  const s = postgresTestSchema();
  schemas.push(s);
  return s;
};

const notesRule = {
  id: 'notes',
  category: 'notes',
  conditions: [{ field: 'name', op: 'glob', value: '*.txt' }],
  destination: 'notes/{created:YYYY}/{name}{ext}',
};

async function addFile(forge: Forge, name: string, content: string) {
  const record = await forge.ingest(Readable.from([Buffer.from(content)]), { name });
  await forge.queue.onIdle();
  return forge.files.get(record.id);
}

const pgForge = (url: string, options: ForgeOptions = {}) =>
  makeForge({ databaseUrl: url, now: () => Date.parse('2026-11-05T10:00:00Z'), ...options });

describe.skipIf(!available)('a forge on PostgreSQL (issue 13)', () => {
  it('ingests a file that the default workflow processes, classifies and sorts; the tree reads back by folder', async () => {
    const { url } = newSchema();
    const forge = await pgForge(url);
    expect(forge.catalog.dialect).toBe('postgres');
    await forge.sorter.rules.put('default', notesRule);
    const seen: string[] = [];
    for (const type of ['file.processed', 'file.classified', 'file.sorted'] as const)
      forge.events.on(type, () => void seen.push(type));

    const file = await addFile(forge, 'meeting.txt', 'agenda and minutes\n');
    expect(file).toMatchObject({ status: 'processed', path: 'notes/2026/meeting.txt', category: 'notes' });
    expect(file?.classification).toMatchObject({
      status: 'decided',
      decidedBy: { kind: 'rule', ruleId: 'notes' },
    });
    expect(seen).toEqual(['file.processed', 'file.classified', 'file.sorted']);

    // Folder listing pages in SQL (strpos/substr on PostgreSQL, byte order on paths).
    await addFile(forge, 'b.txt', 'second\n');
    await addFile(forge, 'c.txt', 'third\n');
    expect((await forge.sorter.folders('default', 'notes')).folders).toEqual([
      { name: '2026', path: 'notes/2026', fileCount: 3 },
    ]);
    const first = await forge.sorter.folders('default', 'notes/2026', { limit: 2 });
    expect(first.files.map((f) => f.name)).toEqual(['b.txt', 'c.txt']);
    const next = await forge.sorter.folders('default', 'notes/2026', {
      limit: 2,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });
    expect(next.files.map((f) => f.name)).toEqual(['meeting.txt']);
    expect((await forge.files.list({ pathPrefix: 'notes/2026' })).items).toHaveLength(3);
    expect((await forge.files.list({ pathPrefix: 'notes/202' })).items).toHaveLength(0);
    expect((await forge.files.list({ name: 'MEET' })).items.map((f) => f.name)).toEqual(['meeting.txt']);
    // Paths compare byte by byte whatever the database's collation (folder ranges rely on it).
    const db = forge.catalog.db?.();
    if (!db) throw new Error('a SQL catalog offers db()');
    const { rows } = await sql<{ collation_name: string | null }>`
      select collation_name from information_schema.columns
      where table_schema = current_schema() and table_name = 'files' and column_name = 'path'`.execute(db);
    expect(rows).toEqual([{ collation_name: 'C' }]);

    // A whole-tenant apply (planning reads every processed record, the batch moves them and
    // writes `file.sorted` from the stored rows) and its undo, on PostgreSQL.
    const sorted: Array<{ path: string | null; metadata: unknown }> = [];
    forge.events.on('file.sorted', (e) => void sorted.push({ path: e.file.path, metadata: e.file.metadata }));
    const archive = { ...notesRule, id: 'archive', destination: 'archive/{name}{ext}' };
    const run = await forge.sorter.apply({ rules: [archive] });
    expect(run.moves.map((m) => m.to).sort()).toEqual([
      'archive/b.txt',
      'archive/c.txt',
      'archive/meeting.txt',
    ]);
    expect((await forge.files.get(file!.id))?.path).toBe('archive/meeting.txt');
    await forge.queue.onIdle();
    expect(sorted.map((e) => e.path).sort()).toEqual([
      'archive/b.txt',
      'archive/c.txt',
      'archive/meeting.txt',
    ]);
    expect(sorted.every((e) => typeof e.metadata === 'object' && e.metadata !== null)).toBe(true);
    await forge.sorter.undo(run.id);
    expect((await forge.files.get(file!.id))?.path).toBe('notes/2026/meeting.txt');
  });

  it("counts labels as they are given and keeps a person's label over a classification computed before it", async () => {
    const schema = newSchema();
    const forge = await pgForge(schema.url);
    const a = await addFile(forge, 'a.txt', 'an invoice for services');
    const b = await addFile(forge, 'b.txt', 'a recipe for bread');
    await forge.sorter.correct('default', a!.id, 'invoices', 'user_1');
    await forge.sorter.correct('default', b!.id, 'recipes', 'user_1');
    await forge.sorter.train();
    expect(await forge.sorter.model()).toMatchObject({ labelCount: 2, newLabels: 0 });
    await forge.sorter.correct('default', b!.id, 'invoices', 'user_1');
    expect(await forge.sorter.model()).toMatchObject({ newLabels: 1 });
    const c = await addFile(forge, 'c.txt', 'page 1');
    // A classification computed from a read before the label: its write (the one classifyFile
    // makes) changes nothing once the label is in, made here from a second process's catalog.
    const verdict = await forge.sorter.classifyFile('default', c!.id);
    expect(verdict.decidedBy?.kind).not.toBe('person');
    await forge.sorter.correct('default', c!.id, 'recipes', 'alice');
    const other = createPostgresCatalog({ url: schema.url, max: 1 });
    try {
      const stale = { classification: verdict, category: verdict.category };
      expect(
        await other.files.update('default', c!.id, stale, { unlessClassifiedByPerson: true }),
      ).toBeNull();
    } finally {
      await other.close();
    }
    expect(await forge.sorter.classification('default', c!.id)).toMatchObject({
      category: 'recipes',
      decidedBy: { kind: 'person', userId: 'alice' },
    });
    // Both at once, in whichever order PostgreSQL commits them: the person's label is the file's.
    const d = await addFile(forge, 'd.txt', 'page 2');
    const [machine] = await Promise.all([
      forge.sorter.classifyFile('default', d!.id),
      forge.sorter.correct('default', d!.id, 'recipes', 'alice'),
    ]);
    // classifyFile answers with its own verdict when it committed first, else with the label.
    if (machine.decidedBy?.kind === 'person') expect(machine.category).toBe('recipes');
    expect((await forge.files.get(d!.id))?.category).toBe('recipes');
    expect(await forge.sorter.classification('default', d!.id)).toMatchObject({
      decidedBy: { kind: 'person' },
    });
  });

  it('two instances training the classifier at once both succeed and store one model, counting every label', async () => {
    const schema = newSchema();
    const first = await pgForge(schema.url);
    const second = await pgForge(schema.url);
    const names = ['an invoice for services', 'a recipe for bread', 'invoice total due', 'bake the bread'];
    for (const [i, text] of names.entries()) {
      const file = await addFile(first, `${i}.txt`, text);
      await first.sorter.correct('default', file!.id, i % 2 === 0 ? 'invoices' : 'recipes', 'user_1');
    }
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([first.sorter.train(), second.sorter.train()]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    }
    expect(await second.sorter.model()).toMatchObject({ labelCount: 4, newLabels: 0 });
  });

  it('persists a workflow run, which a forge opened later on the same database reads back', async () => {
    const { url } = newSchema();
    const log: string[] = [];
    const steps = [recordingStep(log)];
    const forge = await pgForge(url, { workflows: { steps } });
    const wf = await forge.workflows.define({
      name: 'two-steps',
      on: { manual: true },
      steps: {
        a: { uses: 'test.record', with: { label: 'a' } },
        b: { uses: 'test.record', needs: ['a'], with: { label: 'b' } },
      },
    });
    const run = await waitForRun(forge, (await forge.workflows.run(wf.id)).id);
    expect(run.status).toBe('completed');
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    await forge.close();

    const again = await pgForge(url, { workflows: { steps } });
    const stored = await again.workflows.getRun(run.id);
    expect(stored.status).toBe('completed');
    expect(stored.steps.map((s) => [s.name, s.status, s.output])).toEqual([
      ['a', 'completed', { step: 'a' }],
      ['b', 'completed', { step: 'b' }],
    ]);
  });

  it('appends audit entries in a verifiable chain that cannot be updated, deleted or truncated', async () => {
    const { url } = newSchema();
    const forge = await pgForge(url);
    for (const id of ['k1', 'k2', 'k3']) {
      await forge.audit.record({
        tenant: 'default',
        actor: { type: 'system', id: null },
        action: 'key.create',
        target: { type: 'key', id, name: null },
      });
    }
    expect((await forge.audit.list()).items.map((e) => e.target.id)).toEqual(['k3', 'k2', 'k1']);
    expect(await forge.audit.verify()).toMatchObject({ ok: true });
    const db = forge.catalog.db?.();
    if (!db) throw new Error('a SQL catalog offers db()');
    await expect(db.updateTable('audit_log').set({ action: 'key.revoke' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect((await forge.audit.list()).items).toHaveLength(3);
  });

  it('concurrent appends to the audit trail never fork the chain', async () => {
    const { url } = newSchema();
    const forge = await pgForge(url);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        forge.audit.record({
          tenant: 'default',
          actor: { type: 'system', id: null },
          action: 'key.create',
          target: { type: 'key', id: `k${i}`, name: null },
        }),
      ),
    );
    const { items } = await forge.audit.list({ limit: 50 });
    expect(items.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(await forge.audit.verify()).toMatchObject({ ok: true });
  });

  it('several processes migrating one database at once all succeed, each migration applied once', async () => {
    const { url } = newSchema();
    const modules = [coreMigrations, workflowMigrations, sorterMigrations, auditMigrations];
    const catalogs = Array.from({ length: 3 }, () =>
      createPostgresCatalog({ url, max: 2, migrations: modules.slice(1) }),
    );
    try {
      const applied = await Promise.all(catalogs.map((c) => c.migrate()));
      const all = applied.flat().map((m) => `${m.module}/${m.name}`);
      const expected = modules.flatMap((m) => Object.keys(m.migrations).map((name) => `${m.name}/${name}`));
      // One process applied everything; the others found nothing pending.
      expect(all.sort()).toEqual(expected.sort());
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      const db = catalogs[0]!.db?.();
      if (!db) throw new Error('a SQL catalog offers db()');
      const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(db);
      expect(Number(rows[0]?.n)).toBe(Object.keys(coreMigrations.migrations).length);
      expect(await runMigrations(db, modules)).toEqual([]);
    } finally {
      for (const c of catalogs) await c.close();
    }
  });
});
