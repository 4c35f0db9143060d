/**
 * The catalog's part of a batch of moves (see `batch-move.ts`): before the links, each
 * record's place and blob; inside the batch's transaction, the records and the destinations'
 * holders, each path set and each `file.sorted` appended.
 *
 * With a SQL catalog the reads are compiled once per shape (a list of n ids is one template
 * per n, see `query-templates.ts`), not built with Kysely per call. The events are written
 * from the rows as read: the payload's `file` is the row's JSON text (`fileJsonFromRow`), its
 * metadata and classification copied as stored rather than parsed and serialized again, so
 * listeners, who parse the payload, see what they saw before.
 *
 * @module
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { CatalogTransaction, OutboxAppend } from '../catalog/index.js';
import { type QueryTemplates, runsDirectly } from '../catalog/query-templates.js';
import { fileJsonFromRow } from '../catalog/rows.js';
import type { FilesTable } from '../catalog/schema.js';
import { appendOutboxEntries, type SerializedOutboxAppend } from '../catalog/stores/outbox.js';
import { caused, outboxEntry } from '../forge/commit-event.js';
import type { FileRecord } from '../model/index.js';
import type { CausedBy } from './move.js';
import type { SortMoveRecord } from './store.js';

/** Rows per `in (…)` list, well under SQLite's limit on bound parameters. */
const IN_LIST = 500;

// biome-ignore lint/suspicious/noExplicitAny: the catalog's query builder, as modules get it
type Db = Kysely<any>;
type Files = Pick<CatalogTransaction['files'], 'get'>;
type FileRow = Selectable<FilesTable>;

/** Where a record is and which blob it has: all a batch needs before its catalog transaction. */
export interface Placed {
  path: string | null;
  blobKey: string;
}

/** The rows of `files` for `tenant` whose `column` is in `keys`, one compiled query per {@link IN_LIST}. */
async function rowsWhereIn<R>(
  db: Db,
  templates: QueryTemplates,
  shape: string,
  columns: readonly string[] | '*',
  tenant: string,
  column: 'id' | 'path',
  keys: readonly string[],
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += IN_LIST) {
    const slice = keys.slice(i, i + IN_LIST);
    const { rows } = await templates.run(
      db,
      `sorter:${shape}:${slice.length}`,
      [tenant, ...slice],
      (t, ...list) => {
        const from = db.selectFrom('files');
        const selected = columns === '*' ? from.selectAll() : from.select(columns as string[]);
        return selected.where('tenant', '=', t).where(column, 'in', list);
      },
    );
    for (const row of rows) out.push(row as R);
  }
  return out;
}

/**
 * The place and blob of each of `ids`, by id: with a SQL catalog those two columns only (the
 * records themselves are read in the transaction).
 */
export async function placesOf(
  db: Db | undefined,
  templates: QueryTemplates | undefined,
  files: Files,
  tenant: string,
  ids: string[],
): Promise<Map<string, Placed>> {
  const found = new Map<string, Placed>();
  if (db && templates) {
    const rows = await rowsWhereIn<{ id: string; path: string | null; blob_key: string }>(
      db,
      templates,
      'places',
      ['id', 'path', 'blob_key'],
      tenant,
      'id',
      ids,
    );
    for (const row of rows) found.set(row.id, { path: row.path ?? null, blobKey: row.blob_key });
    return found;
  }
  for (const id of ids) {
    const record = await files.get(tenant, id);
    if (record) found.set(id, record);
  }
  return found;
}

/** One move the batch's transaction makes, with what becomes of it. */
export interface CatalogMove {
  move: SortMoveRecord;
  outcome?: 'moved' | 'conflict' | 'changed' | 'failed';
}

/** What {@link commitMoves} needs besides the moves. */
export interface CommitMovesOptions {
  tx: CatalogTransaction;
  templates: QueryTemplates | undefined;
  tenant: string;
  runId: string;
  /** Whether `file.sorted` is stored delivered (nobody in this process hears it): asked once, before the writes. */
  unheard(): boolean;
  eventId(move: SortMoveRecord): string;
  /** The time now (the records' `updatedAt`, each event's `timestamp`). */
  timestamp(): string;
  causedBy?: CausedBy;
}

/**
 * Inside the batch's transaction: reads the records and the destinations' holders, marks each
 * move `changed` (its record is gone or elsewhere), `conflict` (another record holds its
 * destination) or `moved`, sets the moved records' paths and appends their `file.sorted`.
 * Answers how many events were appended.
 */
export async function commitMoves(
  steps: readonly CatalogMove[],
  options: CommitMovesOptions,
): Promise<number> {
  const { tx, templates, tenant } = options;
  const db = tx.db?.();
  if (!db || !templates) return commitWithRecords(steps, options);
  const ids = steps.map((s) => s.move.fileId);
  const current = new Map<string, FileRow>();
  for (const row of await rowsWhereIn<FileRow>(db, templates, 'records', '*', tenant, 'id', ids))
    current.set(row.id, row);
  const targets = steps.flatMap((s) => (s.move.to === null ? [] : [s.move.to]));
  const holders = new Map<string, string>();
  const held = await rowsWhereIn<{ id: string; path: string }>(
    db,
    templates,
    'holders',
    ['id', 'path'],
    tenant,
    'path',
    targets,
  );
  for (const row of held) holders.set(row.path, row.id);
  const going = sortOut(steps, (id) => current.get(id)?.path ?? null, current, holders);
  const unheard = options.unheard();
  const at = options.timestamp();
  await setPaths(db, templates, tenant, going, at);
  const appends: SerializedOutboxAppend[] = [];
  for (const step of going) {
    const { move } = step;
    step.outcome = 'moved';
    const row = current.get(move.fileId);
    if (!row) continue;
    row.path = move.to;
    row.updated_at = at;
    appends.push(serializedEvent(options, unheard, move, move.to, fileJsonFromRow(row)));
  }
  if (runsDirectly(db)) {
    // In-process: one compiled one-row insert each beats building multi-row inserts.
    for (const entry of appends) await appendOutboxEntries(db, [entry], templates);
  } else await appendOutboxEntries(db, appends);
  return appends.length;
}

/** Marks each step `changed` or `conflict`, or answers it among those that go. */
function sortOut(
  steps: readonly CatalogMove[],
  pathOf: (id: string) => string | null,
  current: ReadonlyMap<string, unknown>,
  holders: ReadonlyMap<string, string>,
): CatalogMove[] {
  const going: CatalogMove[] = [];
  for (const step of steps) {
    const { move } = step;
    if (!current.has(move.fileId) || pathOf(move.fileId) !== move.from) step.outcome = 'changed';
    else {
      const holder = move.to === null ? undefined : holders.get(move.to);
      if (holder !== undefined && holder !== move.fileId) step.outcome = 'conflict';
      else going.push(step);
    }
  }
  return going;
}

/**
 * Sets each record's path. Where the catalog's statements run in-process (SQLite), one
 * compiled one-row `update` per record; over a connection, one `update … set path = case id …`
 * per {@link IN_LIST} records (fewer round trips; a `case` of n branches costs n comparisons
 * per row, which only a round trip outweighs).
 */
async function setPaths(
  db: Db,
  templates: QueryTemplates,
  tenant: string,
  steps: readonly CatalogMove[],
  at: string,
): Promise<void> {
  if (runsDirectly(db)) {
    for (const { move } of steps) {
      await templates.run(db, 'sorter:set-path', [move.to, at, tenant, move.fileId], (path, time, t, id) =>
        db.updateTable('files').set({ path, updated_at: time }).where('tenant', '=', t).where('id', '=', id),
      );
    }
    return;
  }
  for (let i = 0; i < steps.length; i += IN_LIST) {
    const slice = steps.slice(i, i + IN_LIST);
    const cases = slice.map(({ move }) => sql`when ${move.fileId} then ${move.to}`);
    await db
      .updateTable('files')
      .set({ path: sql`case id ${sql.join(cases, sql` `)} end`, updated_at: at })
      .where('tenant', '=', tenant)
      .where(
        'id',
        'in',
        slice.map((s) => s.move.fileId),
      )
      .execute();
  }
}

/** The `file.sorted` outbox entry of `move`, its payload written around the record's JSON text. */
function serializedEvent(
  options: CommitMovesOptions,
  unheard: boolean,
  move: SortMoveRecord,
  to: string | null,
  fileJson: string,
): SerializedOutboxAppend {
  const { tenant, runId, causedBy } = options;
  const eventId = options.eventId(move);
  const timestamp = options.timestamp();
  // The keys in the order `caused('file.sorted', …)` gives them (see commitWithRecords).
  const head = JSON.stringify({ eventId, tenant });
  const tail = JSON.stringify({ from: move.from, to, runId, timestamp, ...(causedBy ? { causedBy } : {}) });
  return {
    id: eventId,
    type: 'file.sorted',
    stream: `${tenant}/${move.fileId}`,
    payloadJson: `${head.slice(0, -1)},"file":${fileJson},${tail.slice(1)}`,
    createdAt: timestamp,
    ...(unheard ? { deliveredAt: timestamp } : {}),
  };
}

/** {@link commitMoves} on a catalog without SQL: through its stores, one record at a time. */
async function commitWithRecords(
  steps: readonly CatalogMove[],
  options: CommitMovesOptions,
): Promise<number> {
  const { tx, tenant } = options;
  const current = new Map<string, FileRecord>();
  for (const { move } of steps) {
    const record = await tx.files.get(tenant, move.fileId);
    if (record) current.set(move.fileId, record);
  }
  // No holders read: the catalog's unique path refuses a taken one, failing the transaction.
  const going = sortOut(steps, (id) => current.get(id)?.path ?? null, current, new Map());
  const unheard = options.unheard();
  let events = 0;
  for (const step of going) {
    const { move } = step;
    const file = await tx.files.update(tenant, move.fileId, { path: move.to });
    step.outcome = 'moved';
    if (!file) continue;
    const timestamp = options.timestamp();
    const entry: OutboxAppend = outboxEntry(
      caused('file.sorted', {
        eventId: options.eventId(move),
        tenant,
        file,
        from: move.from,
        to: move.to,
        runId: options.runId,
        timestamp,
        ...(options.causedBy ? { causedBy: options.causedBy } : {}),
      }),
    );
    await tx.outbox.append(unheard ? { ...entry, deliveredAt: entry.createdAt } : entry);
    events++;
  }
  return events;
}
