/**
 * Sort runs over the catalog's tree: plan a set of records against the rules (pure
 * `decide` + `planSort` against the places the catalog has taken), then apply the plan as one
 * journaled run, one move per file, with the occupants the conflict modes displace moved
 * first, in batches of independent moves. A destination another file takes meanwhile is re-planned with the next numbered
 * name, so two files racing for one place both survive.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { FileForgeError, toFileForgeError } from '../errors/index.js';
import { eventId, isoNow } from '../forge/context.js';
import { createId } from '../ids/id.js';
import { executeBatch } from './batch-move.js';
import { freeName, numberedName, type Occupant, TRASH_FOLDER } from './conflict.js';
import { type Classify, decide } from './decide.js';
import { type CausedBy, executeMove, moveEventId, settleRun } from './move.js';
import { foldersOf, type PlanItem, planSort } from './plan.js';
import type { PlanRecord } from './plan-records.js';
import type { Rule } from './rule-schema.js';
import { withRunLock } from './run-lock.js';
import type { SorterRuntime } from './runtime.js';
import type { SortMoveRecord, SortRunRecord } from './store.js';
import { subjectFromRecord } from './subject.js';

/** Plan actions that move the file. */
const MOVES = new Set<PlanItem['action']>(['move', 'overwrite', 'rename_existing', 'trash']);

/** Conflict modes that may leave a file at a numbered variant of its destination. */
const RENAMING = new Set(['rename_new', 'deduplicate', 'overwrite', 'rename_existing', 'trash', 'skip']);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `path` is `numberedName(wanted, n)` for some n ≥ 2. */
export function isNumberedVariant(path: string, wanted: string): boolean {
  const probe = numberedName(wanted, 7);
  const at = probe.lastIndexOf(' 7');
  const pattern = new RegExp(
    `^${escapeRegExp(probe.slice(0, at))} ([2-9]|[1-9]\\d+)${escapeRegExp(probe.slice(at + 2))}$`,
  );
  return pattern.test(path);
}

/** How many times a move whose destination was taken meanwhile is re-planned. */
const MAX_REPLANS = 50;

const folderOf = (path: string) => {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
};

/** A plan and the occupants it was made against. */
export interface RecordPlan {
  items: PlanItem[];
  occupied: Map<string, Occupant>;
}

/**
 * Decides each record with `rules` and plans the moves against the places the catalog has
 * taken (in the destinations' folders and the trash). Changes nothing.
 */
export async function planRecords(
  rt: SorterRuntime,
  tenant: string,
  records: readonly PlanRecord[],
  rules: Rule[],
  classify?: Classify,
): Promise<RecordPlan> {
  const now = rt.ctx.options.now;
  const decisions = [];
  for (const record of records) {
    const decision = await decide({ ...subjectFromRecord(record), category: record.category }, rules, {
      ...(classify ? { classify } : {}),
      now,
    });
    // A file an earlier run put at a numbered variant of this destination (`a 2.txt` for
    // `a.txt`) is already in its place: sorting again must not rename it once more.
    const keep =
      decision.destination !== null &&
      record.path !== null &&
      RENAMING.has(decision.onConflict) &&
      isNumberedVariant(record.path, decision.destination);
    decisions.push(keep ? { ...decision, destination: record.path } : decision);
  }
  const folders = new Set<string>();
  for (const d of decisions) {
    if (d.destination === null) continue;
    folders.add(folderOf(d.destination));
    folders.add(folderOf(`${TRASH_FOLDER}/${d.destination}`));
  }
  // A file where a destination needs a folder blocks it; the planner skips that destination.
  const needed = new Set<string>();
  for (const folder of folders) {
    if (folder !== '') for (const path of foldersOf(`${folder}/_`)) needed.add(path);
  }
  const occupied = new Map<string, Occupant>();
  for (const o of await rt.store.tree.occupantsAt(tenant, [...needed])) occupied.set(o.path, o);
  for (const o of await rt.store.tree.occupiedUnder(tenant, [...folders])) occupied.set(o.path, o);
  for (const r of records) {
    if (r.path !== null) occupied.set(r.path, { path: r.path, sha256: r.sha256, id: r.id });
  }
  return { items: planSort(decisions, occupied), occupied };
}

/** Options for {@link applyPlan}. */
export interface ApplyPlanOptions {
  /** Stable key of the logical operation (a workflow step): `file.sorted` ids derive from it. */
  eventKey?: string;
  causedBy?: CausedBy;
}

/** The journal rows a plan needs, displaced occupants first, in plan order. */
function movesOf(runId: string, tenant: string, plan: RecordPlan): SortMoveRecord[] {
  const moves: SortMoveRecord[] = [];
  const add = (fileId: string, from: string | null, to: string | null, sha256: string) =>
    moves.push({
      runId,
      seq: moves.length,
      tenant,
      fileId,
      from,
      to,
      sha256,
      state: 'planned',
      undoes: null,
    });
  // Occupants move along as the plan goes (a displaced file may be displaced again).
  const state = new Map(plan.occupied);
  for (const item of plan.items) {
    if (!MOVES.has(item.action) || item.to === null) continue;
    const occupant = state.get(item.to);
    if (item.displaced && occupant?.id !== undefined && !occupant.planned) {
      add(occupant.id, item.displaced.path, item.displaced.to, occupant.sha256);
      state.set(item.displaced.to, { ...occupant, path: item.displaced.to });
    } else if (item.action === 'overwrite' && occupant?.id !== undefined && !occupant.planned) {
      // Overwriting takes the occupant out of the tree; its record and content stay stored.
      add(occupant.id, item.to, null, occupant.sha256);
    }
    if (item.from !== null) state.delete(item.from);
    const sha256 = item.decision.subject.sha256;
    add(item.id, item.from, item.to, sha256);
    state.set(item.to, { path: item.to, sha256, id: item.id });
  }
  return moves;
}

/**
 * Applies a plan as one journaled run: writes the run and every move (`planned`) in one
 * transaction, then runs the moves in order, in batches of independent moves (each phase
 * once per batch: links, one catalog transaction, unlinks, one journal transaction).
 * Resolves with the settled run.
 */
export async function applyPlan(
  rt: SorterRuntime,
  tenant: string,
  plan: RecordPlan,
  options: ApplyPlanOptions = {},
): Promise<SortRunRecord> {
  return (await applyPlanWithMoves(rt, tenant, plan, options)).run;
}

/** {@link applyPlan}, answering the settled run's journal rows as well (read once, when settling). */
export async function applyPlanWithMoves(
  rt: SorterRuntime,
  tenant: string,
  plan: RecordPlan,
  options: ApplyPlanOptions = {},
): Promise<{ run: SortRunRecord; moves: SortMoveRecord[] }> {
  const { ctx, store } = rt;
  const run: SortRunRecord = {
    id: createId(ctx.options.now()),
    tenant,
    status: 'applied',
    source: 'catalog',
    moved: 0,
    skipped: plan.items.filter((i) => !MOVES.has(i.action)).length,
    createdAt: isoNow(ctx),
    finishedAt: null,
  };
  const moves = movesOf(run.id, tenant, plan);
  // Held from before the rows exist until the run is settled, so another instance's start-up
  // recovery never settles these rows under us (see run-lock.ts).
  return withRunLock(rt, run.id, async () => {
    await store.runs.create(run, moves);
    const idOf = (move: SortMoveRecord) =>
      options.eventKey
        ? eventId(options.eventKey, move.fileId, 'file.sorted')
        : moveEventId(run.id, move.seq);
    const causedBy = options.causedBy ? { causedBy: options.causedBy } : {};
    const alone = (move: SortMoveRecord) => moveWithReplan(rt, move, { eventId: idOf(move), ...causedBy });
    let journal: SortMoveRecord[] = [];
    let failure: unknown;
    try {
      for (const batch of batchesOf(moves)) {
        if (batch.length === 1 && batch[0]?.to === null) {
          await alone(batch[0]);
          continue;
        }
        const result = await executeBatch(rt, batch, { eventId: idOf, ...causedBy });
        // A destination taken meanwhile: that move alone, re-planned with the next free name.
        for (const move of result.conflicts) await alone(move);
        if (result.error !== undefined) throw result.error;
      }
    } catch (error) {
      failure = error;
    } finally {
      journal = await settleRun(rt, run.id);
      await ctx.dispatcher.deliver();
    }
    const settled = (await store.runs.get(tenant, run.id)) as SortRunRecord;
    // The run stopped at a move that failed: the moves before it stand, so the error names the
    // run (it can be read and undone like any other).
    if (failure !== undefined) throw stoppedRun(failure, settled);
    return { run: settled, moves: journal };
  });
}

/** The error a run stopped at, with the run's id, status and moves so far in its details. */
function stoppedRun(cause: unknown, run: SortRunRecord): FileForgeError {
  const error = toFileForgeError(cause);
  return new FileForgeError(
    error.code,
    `${error.message} (run ${run.id} stopped there: ${run.moved} file(s) moved before it; it can be undone)`,
    { cause, details: { ...error.details, runId: run.id, runStatus: run.status, moved: run.moved } },
  );
}

/** Moves run together, at most this many: one transaction and one fsync per folder each. */
export const BATCH_SIZE = 1024;

/**
 * Cuts a run's moves, in order, into batches of independent moves (distinct files; no path
 * that is one move's source or destination is another's), at most {@link BATCH_SIZE} each. A
 * move that takes a file out of the tree (`to` null) is a batch of its own.
 */
export function batchesOf(moves: readonly SortMoveRecord[]): SortMoveRecord[][] {
  const batches: SortMoveRecord[][] = [];
  let batch: SortMoveRecord[] = [];
  const paths = new Set<string>();
  const files = new Set<string>();
  const cut = () => {
    if (batch.length > 0) batches.push(batch);
    batch = [];
    paths.clear();
    files.clear();
  };
  for (const move of moves) {
    if (move.to === null) {
      cut();
      batches.push([move]);
      continue;
    }
    const clash =
      files.has(move.fileId) || paths.has(move.to) || (move.from !== null && paths.has(move.from));
    if (clash || batch.length >= BATCH_SIZE) cut();
    batch.push(move);
    files.add(move.fileId);
    paths.add(move.to);
    if (move.from !== null) paths.add(move.from);
  }
  cut();
  return batches;
}

/**
 * Runs a move; when another file took its destination meanwhile, points it at the next free
 * numbered name (free in the catalog and on disk) and tries again.
 */
export async function moveWithReplan(
  rt: SorterRuntime,
  first: SortMoveRecord,
  options: { eventId: string; causedBy?: CausedBy },
): Promise<SortMoveRecord & { result: 'moved' | 'conflict' | 'changed' }> {
  let move = first;
  for (let attempt = 0; ; attempt++) {
    const result = await executeMove(rt, move, options);
    if (result !== 'conflict' || move.to === null || attempt >= MAX_REPLANS) {
      if (result === 'conflict') await rt.store.moves.setState(move.runId, move.seq, 'undone');
      return { ...move, result };
    }
    // Numbered from the destination the plan wanted (`race 3.txt`), not from the numbered
    // name just found taken (`race 2 2.txt`), which a later sort would rename again.
    const to = await nextFreePath(rt, move.tenant, first.to ?? move.to);
    await rt.store.moves.retarget(move.runId, move.seq, to);
    move = { ...move, to };
  }
}

/** The first numbered variant of `wanted` that neither the catalog nor the sorted folder has taken. */
async function nextFreePath(rt: SorterRuntime, tenant: string, wanted: string): Promise<string> {
  const taken = new Set((await rt.store.tree.occupiedUnder(tenant, [folderOf(wanted)])).map((o) => o.path));
  const onDisk = (path: string) => {
    const entry = rt.entry(tenant, path);
    return entry !== null && existsSync(entry);
  };
  return freeName(wanted, (p) => taken.has(p) || onDisk(p));
}
