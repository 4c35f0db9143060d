/**
 * The PostgreSQL catalog in a backup archive: one consistent snapshot (see core's
 * `openPostgresSnapshot`) written as one `catalog/postgresql/<table>.jsonl` entry per table of
 * the catalog's schema — each line a JSON array of the row's values in PostgreSQL's text form
 * — and a `catalog/postgresql.json` header (schema, server version, every table's columns and
 * row count). Each table goes through a temp file (a tar entry needs its size up front), so
 * memory stays flat whatever the table size. The manifest covers every entry, like the SQLite
 * copy; the migration bookkeeping tables are dumped too, and say which migrations the
 * catalog had.
 *
 * @module
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import {
  DUMP_TABLE_NAME,
  openPostgresSnapshot,
  type PostgresDumpHeader,
  type PostgresSnapshot,
} from '@fileforge/core';
import { PG_HEADER_ENTRY, pgTableEntry } from './manifest.js';

/** Adds one entry of `size` bytes to the archive being written. */
export type AddEntry = (path: string, size: number, source: NodeJS.ReadableStream) => Promise<unknown>;

/** Writes `table`'s rows to `path`, one JSON array a line; returns the row count. */
async function writeTable(
  snapshot: PostgresSnapshot,
  table: PostgresSnapshot['tables'][number],
  path: string,
  signal?: AbortSignal,
): Promise<number> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  let rows = 0;
  for await (const batch of snapshot.rows(table)) {
    signal?.throwIfAborted();
    let text = '';
    for (const row of batch) text += `${JSON.stringify(row)}\n`;
    rows += batch.length;
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return rows;
}

/**
 * Opens a snapshot of the PostgreSQL catalog `url` names and adds its dump to the archive
 * (`tempPath` is the scratch file each table passes through). The snapshot stays open for the
 * blob list, which is read in the same transaction: the caller closes it.
 */
export async function addPostgresCatalog(
  url: string,
  tempPath: string,
  addEntry: AddEntry,
  signal?: AbortSignal,
): Promise<PostgresSnapshot> {
  const snapshot = await openPostgresSnapshot(url);
  try {
    const header: PostgresDumpHeader = {
      format: 'fileforge-postgresql-dump',
      version: 1,
      schema: snapshot.schema,
      serverVersion: snapshot.serverVersion,
      tables: [],
    };
    for (const table of snapshot.tables) {
      // Names outside the archive's entry pattern are not FileForge's tables.
      if (!DUMP_TABLE_NAME.test(table.name)) continue;
      const rows = await writeTable(snapshot, table, tempPath, signal);
      await addEntry(pgTableEntry(table.name), (await stat(tempPath)).size, createReadStream(tempPath));
      await rm(tempPath, { force: true });
      header.tables.push({ ...table, rows });
    }
    const text = Buffer.from(JSON.stringify(header));
    const { Readable } = await import('node:stream');
    await addEntry(PG_HEADER_ENTRY, text.length, Readable.from([text]));
    return snapshot;
  } catch (error) {
    await snapshot.close();
    await rm(tempPath, { force: true }).catch(() => {});
    throw error;
  }
}
