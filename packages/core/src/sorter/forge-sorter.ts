/**
 * The classify and sort steps of the default pipeline, on one stored file. Both are safe to
 * run again: the same `eventKey` gives the same event ids (receivers deduplicate), a file
 * already in its place is left there, and a category a person set is never replaced.
 *
 * @module
 */
import { classifyWith } from '../classifier/classify.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { caused, commitWithEvent } from '../forge/commit-event.js';
import { eventId, type ForgeContext, isoNow } from '../forge/context.js';
import type { Classification } from '../model/index.js';
import { decide } from './decide.js';
import { currentModel } from './learn.js';
import type { CausedBy } from './move.js';
import { applyPlan, planRecords } from './run.js';
import { sorterOf } from './runtime.js';
import type { SortRunRecord } from './store.js';
import { subjectFromRecord } from './subject.js';

/** Options of {@link classifyFile} and {@link sortFile}. */
export interface FileStepOptions {
  /** Put on the events the step causes (the workflow run that caused them). */
  causedBy?: CausedBy;
  /** Stable per logical step (a workflow run's step): event ids derive from it, so retries repeat them. */
  eventKey: string;
}

/** What {@link sortFile} did. */
export interface SortFileOutcome {
  action: 'moved' | 'none' | 'skip' | 'deduplicate' | 'changed';
  from: string | null;
  to: string | null;
  ruleId: string | null;
  reason: string;
  /** The one-file run, when something moved. */
  run: SortRunRecord | null;
}

const notFound = (id: string) =>
  new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:sorter] File ${id} not found`);

/**
 * Classifies one stored file and commits `file.classified` with the explanation: a matching
 * rule's category decides (`decided`); else the tenant's model decides when its score reaches
 * the category's threshold, and sends the file to `review` below it; with no model yet the
 * file is `unclassified` (never sent to review). A category a person set stays.
 */
export async function classifyFile(
  ctx: ForgeContext,
  tenant: string,
  fileId: string,
  options: FileStepOptions,
): Promise<Classification> {
  const rt = sorterOf(ctx);
  const record = await ctx.catalog.files.get(tenant, fileId);
  if (!record) throw notFound(fileId);
  let classification: Classification;
  if (record.classification?.decidedBy?.kind === 'person') {
    classification = record.classification;
  } else {
    const rules = (await rt.store.rules.list(tenant)).map((r) => r.rule);
    const model = await currentModel(rt, tenant);
    const subject = subjectFromRecord(record);
    const decision = await decide(subject, rules, {
      ...(model ? { classify: (s) => classifyWith(model, s) } : {}),
      now: ctx.options.now,
    });
    const at = isoNow(ctx);
    if (decision.category !== null) {
      classification = {
        status: 'decided',
        category: decision.category,
        decidedBy: decision.decidedBy,
        explanation: decision.explanation,
        decidedAt: at,
      };
    } else if (model) {
      const verdict = classifyWith(model, subject);
      const decided = verdict.decided && verdict.category !== null;
      const why = verdict.reason ? ` (${verdict.reason})` : '';
      classification = {
        status: decided ? 'decided' : 'review',
        category: decided ? verdict.category : null,
        decidedBy: decided ? { kind: 'model', score: verdict.score, threshold: verdict.threshold } : null,
        explanation: {
          ...decision.explanation,
          summary: decided
            ? `${decision.explanation.summary.replace(/\.$/, '')}. The model decided "${verdict.category}" (score ${round(verdict.score)} ≥ threshold ${round(verdict.threshold)}).`
            : `${decision.explanation.summary.replace(/\.$/, '')}. The model is unsure${verdict.category ? ` ("${verdict.category}", score ${round(verdict.score)} < threshold ${round(verdict.threshold)})` : ''}${why}: waiting for review.`,
          model: {
            category: verdict.category,
            score: verdict.score,
            threshold: verdict.threshold,
            terms: verdict.terms,
          },
        },
        decidedAt: at,
      };
    } else {
      classification = {
        status: 'unclassified',
        category: null,
        decidedBy: null,
        explanation: {
          ...decision.explanation,
          summary: `${decision.explanation.summary.replace(/\.$/, '')}. No classifier model yet: confirm or correct categories to train one.`,
        },
        decidedAt: at,
      };
    }
  }
  const byPerson = classification.decidedBy?.kind === 'person';
  const stored = await commitWithEvent(
    ctx,
    (tx) =>
      // A person's label given while this was deciding stays (the update then changes nothing).
      tx.files.update(
        tenant,
        fileId,
        { classification, category: classification.category },
        { unlessClassifiedByPerson: !byPerson },
      ),
    (file) =>
      file &&
      caused('file.classified', {
        eventId: eventId(options.eventKey, fileId, 'file.classified'),
        tenant,
        file,
        classification,
        timestamp: classification.decidedAt,
        ...(options.causedBy ? { causedBy: options.causedBy } : {}),
      }),
  );
  await ctx.dispatcher.deliver();
  if (stored || byPerson) return classification;
  // Nothing changed: a person decided meanwhile (their label is the file's), or it is gone.
  const now = await ctx.catalog.files.get(tenant, fileId);
  return now?.classification ?? classification;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Puts one file at its place in the sorted tree: decides its destination with the tenant's
 * rules (its category known), plans it against the places taken and, when it has to move,
 * applies a one-file journaled run and commits `file.sorted`. A file already there, or a
 * plan that skips it (`skip`, `deduplicate`, no destination), is left where it is.
 */
export async function sortFile(
  ctx: ForgeContext,
  tenant: string,
  fileId: string,
  options: FileStepOptions,
): Promise<SortFileOutcome> {
  const rt = sorterOf(ctx);
  const record = await ctx.catalog.files.get(tenant, fileId);
  if (!record) throw notFound(fileId);
  const rules = (await rt.store.rules.list(tenant)).map((r) => r.rule);
  const plan = await planRecords(rt, tenant, [record], rules);
  const item = plan.items[0];
  if (!item) throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:sorter] Empty plan');
  const base = { from: item.from, ruleId: item.ruleId, reason: item.reason };
  if (item.action === 'none' || item.action === 'skip' || item.action === 'deduplicate') {
    return { ...base, action: item.action, to: item.to, run: null };
  }
  const run = await applyPlan(rt, tenant, plan, {
    eventKey: options.eventKey,
    ...(options.causedBy ? { causedBy: options.causedBy } : {}),
  });
  const after = await ctx.catalog.files.get(tenant, fileId);
  const moved = after !== null && after.path !== item.from;
  return { ...base, action: moved ? 'moved' : 'changed', to: after?.path ?? null, run };
}
