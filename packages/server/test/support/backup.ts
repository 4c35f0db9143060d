/**
 * Shared pieces of the backup/restore tests: a data directory with files (and their
 * derivatives), a sorter rule, a workflow and users; the catalog rows a restore must bring
 * back; and every file's SHA-256 as a forge serves it.
 *
 * @module
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Forge } from '@fileforge/core';
import Database from 'better-sqlite3';
import { makeLargeText, makePdf, makePng, makeText, sha256 } from './fixtures.js';
import { startTestServer, type TestServer, waitForFinal } from './server.js';

/** Tables whose rows a restore must bring back unchanged. */
const TABLES = ['files', 'derivatives', 'sort_rules', 'workflows', 'users'] as const;

/** A server on `dataDir` holding a few files (processed), a sorter rule and a workflow. */
export async function seedDataDir(dataDir: string): Promise<{ server: TestServer; ids: string[] }> {
  const server = await startTestServer({ dataDir });
  const { forge } = server;
  await forge.sorter.rules.put('default', { id: 'invoices', category: 'invoices' });
  await forge.workflows.define({
    name: 'backup-check',
    on: { manual: true },
    steps: { only: { uses: 'process' } },
  });
  const inputs: Array<[string, Buffer]> = [
    ['photo.png', makePng(80, 60)],
    ['invoice.pdf', makePdf('backup invoice')],
    ['notes.txt', makeText()],
    ['big.log', makeLargeText(3 * 1024 * 1024, 'backup')],
  ];
  const ids: string[] = [];
  for (const [name, bytes] of inputs) {
    const record = await forge.ingest(Readable.from([bytes]), { name });
    ids.push(record.id);
  }
  for (const id of ids) await waitForFinal(server.api, id);
  return { server, ids };
}

/** The rows of the tables a restore must bring back, read straight from the SQLite catalog. */
export function catalogRows(dataDir: string): Record<string, unknown[]> {
  const db = new Database(join(dataDir, 'fileforge.db'), { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(
      TABLES.map((table) => [table, db.prepare(`select * from ${table} order by rowid`).all()]),
    );
  } finally {
    db.close();
  }
}

/** Every file's (and derivative's) SHA-256 as the forge serves it, keyed by id (and name). */
export async function servedHashes(forge: Forge): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const page = await forge.files.list({ limit: 1000 });
  for (const record of page.items) {
    const { stream } = await forge.files.open(record.id);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    hashes[record.id] = sha256(Buffer.concat(chunks));
    for (const derivative of await forge.files.derivatives(record.id)) {
      const opened = await forge.files.openDerivative(record.id, derivative.name);
      const parts: Buffer[] = [];
      for await (const chunk of opened.stream) parts.push(chunk as Buffer);
      hashes[`${record.id}/${derivative.name}`] = sha256(Buffer.concat(parts));
    }
  }
  return hashes;
}

/** The SHA-256 the catalog records for each file, keyed like {@link servedHashes}. */
export async function recordedHashes(forge: Forge): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const page = await forge.files.list({ limit: 1000 });
  for (const record of page.items) {
    hashes[record.id] = record.sha256;
    for (const derivative of await forge.files.derivatives(record.id))
      hashes[`${record.id}/${derivative.name}`] = derivative.sha256;
  }
  return hashes;
}
