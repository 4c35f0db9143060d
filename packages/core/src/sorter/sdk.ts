/**
 * `forge.sorter`: rules, simulate, apply, runs, undo, classification, corrections, the review
 * queue, training and the folder tree, for one forge. Every call takes a tenant (default
 * `default`); another tenant's rule, run or file answers like a missing one.
 *
 * @module
 */

import type { FileListPage } from '../catalog/index.js';
import type { ClassifierModel } from '../classifier/types.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { DEFAULT_TENANT, type ForgeContext, isoNow } from '../forge/context.js';
import { createId } from '../ids/id.js';
import type { Classification, FileRecord } from '../model/index.js';
import { type FolderListing, type FolderPage, listFolder } from './folders.js';
import { classifyFile, type FileStepOptions, type SortFileOutcome, sortFile } from './forge-sorter.js';
import { correct, type RETRAIN_EVERY, retrainIfDue, tenantClassify, train } from './learn.js';
import { parseRules } from './parse-rules.js';
import type { PlanItem } from './plan.js';
import { type PlanRecord, processedForPlanning } from './plan-records.js';
import type { Rule } from './rule-schema.js';
import { applyPlanWithMoves, planRecords } from './run.js';
import { sorterOf } from './runtime.js';
import type { SortMoveRecord, SortRunRecord } from './store.js';
import { type UndoStop, undoRun } from './undo-run.js';

/** Which files a simulate or apply covers, and with which rules. */
export interface SortRequest {
  /** @default 'default' */
  tenant?: string;
  /** The files to sort. @default every processed file of the tenant */
  fileIds?: readonly string[];
  /** Rules to use instead of the saved ones (validated like saved ones). @default the tenant's rules */
  rules?: readonly unknown[];
  /**
   * Without `fileIds`, refuse (`VALIDATION_FAILED`) rather than load more processed files
   * than this: every record is read into memory and planned in one go. The HTTP API sets
   * 10,000 (the most `fileIds` it takes); code calling the SDK decides for itself.
   * @default unlimited
   */
  maxFiles?: number;
}

/** One line of a plan: where a file is, where it would go, which rule and why. */
export interface SortPlanLine {
  fileId: string;
  from: string | null;
  /** Where it would go; for `skip`/`deduplicate` the place it wanted; `null` when it stays. */
  to: string | null;
  ruleId: string | null;
  category: string | null;
  action: PlanItem['action'];
  reason: string;
  /** The occupant that would be moved out of the way first (`rename_existing`, `trash`). */
  displaced?: { path: string; to: string };
}

/** A sort run with its journal. */
export interface SortRun extends SortRunRecord {
  moves: Array<Pick<SortMoveRecord, 'seq' | 'fileId' | 'from' | 'to' | 'state' | 'undoes'>>;
}

/** A run after `undo`: how many moves this call reversed and where it stopped. */
export interface SortRunUndone extends SortRun {
  undone: number;
  /** Files of the run deleted since: nothing to put back, passed over. */
  deleted: number;
  stopped: UndoStop | null;
}

/** Options naming a tenant. */
export interface SorterTenantOptions {
  /** @default 'default' */
  tenant?: string;
}

/** Paging of a list. */
export interface SorterPage {
  cursor?: string;
  /** @default 50 (at most 500) */
  limit?: number;
}

/** What {@link ForgeSorter.model} reports. */
export interface ClassifierStatus {
  categories: string[];
  labelCount: number;
  trainedAt: string;
  /** Labels given since the last training (first labels, corrections and confirmations). */
  newLabels: number;
}

/** The sorter of a forge (`forge.sorter`). */
export interface ForgeSorter {
  rules: {
    /** The tenant's rules, in the order they are tried (priority, then age). */
    list(tenant?: string): Promise<Rule[]>;
    get(tenant: string, id: string): Promise<Rule | null>;
    /** Validates (`VALIDATION_FAILED` with field paths) and saves a rule, replacing the one with its id. */
    put(tenant: string, rule: unknown): Promise<Rule>;
    /** Deletes a rule; false when there was none. Files it sorted stay where they are. */
    remove(tenant: string, id: string): Promise<boolean>;
  };
  /** The plan for the files, changing nothing (not the catalog, not the sorted folder). */
  simulate(request?: SortRequest): Promise<{ items: SortPlanLine[] }>;
  /** Applies the plan as one journaled run (one move per file); undo it by its id. */
  apply(request?: SortRequest): Promise<SortRun>;
  runs: {
    /** Newest first. */
    list(
      options?: SorterTenantOptions & SorterPage,
    ): Promise<{ items: SortRunRecord[]; nextCursor: string | null }>;
    get(runId: string, options?: SorterTenantOptions): Promise<SortRun | null>;
  };
  /**
   * Moves a run's files back, newest move first; stops safely at a file changed since the run
   * (deleted, moved, its content or its entry on disk changed, or its old place taken) and
   * reports it in `stopped`.
   */
  undo(runId: string, options?: SorterTenantOptions): Promise<SortRunUndone>;
  /** A file's classification with its explanation (`unclassified` before the classify step ran). */
  classification(tenant: string, fileId: string): Promise<Classification>;
  /**
   * A person confirms or corrects a file's category: a label; the classifier retrains after
   * every 20 new ones (before this resolves). `retrain: false` leaves that to a later
   * {@link retrainIfDue} — labelling many files at once, so they cost one training, not one per
   * 20 files.
   */
  correct(
    tenant: string,
    fileId: string,
    category: string,
    userId?: string | null,
    options?: { retrain?: boolean },
  ): Promise<Classification>;
  /**
   * Retrains the tenant's classifier when {@link RETRAIN_EVERY} labels came in since its last
   * training (what `correct` does after each label); resolves true when it trained. Failures
   * are logged, not thrown.
   */
  retrainIfDue(tenant?: string): Promise<boolean>;
  /** Files the classifier was unsure of, newest first. */
  review(tenant?: string, page?: SorterPage): Promise<FileListPage>;
  /**
   * The tenant's classifier: its categories, the labels it was trained on, when, and how many
   * labels came in since (it retrains on its own at {@link RETRAIN_EVERY}); `null` before the
   * first training.
   */
  model(tenant?: string): Promise<ClassifierStatus | null>;
  /** Retrains the tenant's classifier from its labels now. */
  train(tenant?: string): Promise<ClassifierModel>;
  /**
   * Runs the `classify` step on one file now (what the default pipeline does after
   * processing): commits `file.classified`. `eventKey` makes a repeat reuse the event id.
   */
  classifyFile(tenant: string, fileId: string, options?: Partial<FileStepOptions>): Promise<Classification>;
  /** Runs the `sort` step on one file now: a one-file journaled run when it moves; commits `file.sorted`. */
  sortFile(tenant: string, fileId: string, options?: Partial<FileStepOptions>): Promise<SortFileOutcome>;
  /** One level of the sorted tree. */
  folders(tenant?: string, path?: string, page?: FolderPage): Promise<FolderListing>;
}

/** A journal row as {@link SortRun} shows it. */
const movePublic = ({ seq, fileId, from, to, state, undoes }: SortMoveRecord): SortRun['moves'][number] => ({
  seq,
  fileId,
  from,
  to,
  state,
  undoes,
});

const notFound = (what: string, id: string) =>
  new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:sorter] ${what} ${id} not found`);

/** `forge.sorter` of a forge whose catalog offers no SQL access: every call fails with `INVALID_CONFIG`. */
export function sorterUnavailable(): ForgeSorter {
  const fail = () => {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:sorter] The sorter needs a SQL catalog (Catalog.db()); this catalog has none',
    );
  };
  const failing = async () => fail();
  return {
    rules: { list: failing, get: failing, put: failing, remove: failing },
    simulate: failing,
    apply: failing,
    runs: { list: failing, get: failing },
    undo: failing,
    classification: failing,
    correct: failing,
    retrainIfDue: failing,
    review: failing,
    train: failing,
    model: failing,
    classifyFile: failing,
    sortFile: failing,
    folders: failing,
  } as unknown as ForgeSorter;
}

/** Creates `forge.sorter` over a forge's context. */
export function createForgeSorter(ctx: ForgeContext): ForgeSorter {
  const rt = sorterOf(ctx);
  const { store } = rt;
  const tenantOf = (t?: string) => t ?? DEFAULT_TENANT;

  const rulesFor = async (tenant: string, given?: readonly unknown[]): Promise<Rule[]> =>
    given ? parseRules([...given]) : (await store.rules.list(tenant)).map((r) => r.rule);

  const recordsFor = async (
    tenant: string,
    ids?: readonly string[],
    maxFiles = Number.POSITIVE_INFINITY,
  ): Promise<PlanRecord[]> => {
    if (ids) {
      const out: FileRecord[] = [];
      for (const id of new Set(ids)) {
        const record = await ctx.catalog.files.get(tenant, id);
        if (!record) throw notFound('File', id);
        out.push(record);
      }
      return out;
    }
    // createForgeSorter is made only over a catalog with SQL access (else sorterUnavailable).
    const db = ctx.catalog.db?.();
    if (!db)
      throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:sorter] The sorter needs a SQL catalog');
    return processedForPlanning(db, tenant, maxFiles);
  };

  const plan = async (request: SortRequest) => {
    const tenant = tenantOf(request.tenant);
    const rules = await rulesFor(tenant, request.rules);
    const records = await recordsFor(tenant, request.fileIds, request.maxFiles);
    return { tenant, plan: await planRecords(rt, tenant, records, rules, await tenantClassify(rt, tenant)) };
  };

  const runWithMoves = async (tenant: string, runId: string): Promise<SortRun | null> => {
    const run = await store.runs.get(tenant, runId);
    if (!run) return null;
    const moves = (await store.moves.list(runId)).map(movePublic);
    return { ...run, moves };
  };

  return {
    rules: {
      list: async (tenant) => (await store.rules.list(tenantOf(tenant))).map((r) => r.rule),
      get: async (tenant, id) => (await store.rules.get(tenant, id))?.rule ?? null,
      async put(tenant, input) {
        const rules = Array.isArray(input) ? [] : parseRules(input);
        const rule = rules.length === 1 ? rules[0] : undefined;
        if (!rule) {
          throw new FileForgeError(ErrorCode.VALIDATION_FAILED, '[fileforge:sorter] Expected one rule', {
            details: { issues: [{ path: '', message: 'Expected one rule object' }] },
          });
        }
        await store.rules.put(tenant, rule, isoNow(ctx));
        return rule;
      },
      remove: (tenant, id) => store.rules.remove(tenant, id),
    },

    async simulate(request = {}) {
      const { plan: planned } = await plan(request);
      return {
        items: planned.items.map((i) => ({
          fileId: i.id,
          from: i.from,
          to: i.to,
          ruleId: i.ruleId,
          category: i.category,
          action: i.action,
          reason: i.reason,
          ...(i.displaced ? { displaced: i.displaced } : {}),
        })),
      };
    },

    async apply(request = {}) {
      const { tenant, plan: planned } = await plan(request);
      const { run, moves } = await applyPlanWithMoves(rt, tenant, planned);
      return { ...run, moves: moves.map(movePublic) };
    },

    runs: {
      async list(options = {}) {
        const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
        const items = await store.runs.list(tenantOf(options.tenant), {
          ...(options.cursor ? { cursor: options.cursor } : {}),
          limit: limit + 1,
        });
        const page = items.slice(0, limit);
        return { items: page, nextCursor: items.length > limit ? (page.at(-1)?.id ?? null) : null };
      },
      get: (runId, options = {}) => runWithMoves(tenantOf(options.tenant), runId),
    },

    async undo(runId, options = {}) {
      const tenant = tenantOf(options.tenant);
      const report = await undoRun(rt, tenant, runId);
      const run = (await runWithMoves(tenant, runId)) as SortRun;
      return { ...run, undone: report.undone, deleted: report.deleted, stopped: report.stopped };
    },

    async classification(tenant, fileId) {
      const record = await ctx.catalog.files.get(tenant, fileId);
      if (!record) throw notFound('File', fileId);
      return (
        record.classification ?? {
          status: 'unclassified',
          category: record.category,
          decidedBy: null,
          explanation: { summary: 'Not classified yet.', rules: [] },
          decidedAt: record.updatedAt,
        }
      );
    },

    correct: (tenant, fileId, category, userId = null, options = {}) =>
      correct(rt, tenant, fileId, category, userId, options),

    retrainIfDue: (tenant) => retrainIfDue(rt, tenantOf(tenant)),

    review: (tenant, page = {}) =>
      ctx.catalog.files.list(tenantOf(tenant), {
        classificationStatus: 'review',
        ...(page.cursor ? { cursor: page.cursor } : {}),
        ...(page.limit ? { limit: page.limit } : {}),
      }),

    train: (tenant) => train(rt, tenantOf(tenant)),

    async model(tenant) {
      const t = tenantOf(tenant);
      const stored = await store.models.get<ClassifierModel>(t);
      if (!stored) return null;
      return {
        categories: stored.model.categories,
        labelCount: stored.labelCount,
        trainedAt: stored.trainedAt,
        newLabels: await store.models.newLabels(t),
      };
    },

    classifyFile: (tenant, fileId, options = {}) =>
      classifyFile(ctx, tenant, fileId, {
        ...options,
        eventKey: options.eventKey ?? `sdk:${createId(ctx.options.now())}`,
      }),
    sortFile: (tenant, fileId, options = {}) =>
      sortFile(ctx, tenant, fileId, {
        ...options,
        eventKey: options.eventKey ?? `sdk:${createId(ctx.options.now())}`,
      }),
    folders: (tenant, path = '', page = {}) => listFolder(rt, tenantOf(tenant), path, page),
  };
}
