/**
 * The learned classifier inside the forge: the model per tenant (persisted in
 * `classifier_models`), the labels people give (`correct`), and retraining on demand and
 * automatically once {@link RETRAIN_EVERY} labels were given since the last training (each
 * label counted as it is given, in its own transaction: deleting labelled files hides none,
 * and a correction counts like a first label). One automatic training per tenant runs at a
 * time in a process; a model that covers fewer labels than the stored one never replaces it.
 *
 * @module
 */

import { setMaxListeners } from 'node:events';
import { classifyWith } from '../classifier/classify.js';
import { trainClassifierOffLoop } from '../classifier/train-thread.js';
import { trainingSlots } from '../classifier/training-slots.js';
import type { ClassifierModel } from '../classifier/types.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { caused, commitWithEvent } from '../forge/commit-event.js';
import { eventId, type ForgeContext, isoNow } from '../forge/context.js';
import type { Classification } from '../model/index.js';
import type { Classify } from './decide.js';
import { categoryProblem } from './rule-schema.js';
import type { SorterRuntime } from './runtime.js';
import type { Db } from './stores/tables.js';
import { subjectFromRecord } from './subject.js';

/** New labels since the last training that make the classifier retrain on its own. */
export const RETRAIN_EVERY = 20;

/** A tenant's current model, or `null` before the first training. */
export async function currentModel(rt: SorterRuntime, tenant: string): Promise<ClassifierModel | null> {
  return (await rt.store.models.get<ClassifierModel>(tenant))?.model ?? null;
}

/** The `classify` that `decide` consults for a tenant, or `undefined` before any model exists. */
export async function tenantClassify(rt: SorterRuntime, tenant: string): Promise<Classify | undefined> {
  const model = await currentModel(rt, tenant);
  return model ? (subject) => classifyWith(model, subject) : undefined;
}

/**
 * Trains the tenant's classifier from every label (files whose category a person confirmed
 * or corrected) and stores the model. `CONFLICT` when there are no labels (left);
 * `VALIDATION_FAILED` when they span fewer than two categories. In both cases a model stored
 * before is removed: it would go on filing into categories no label has any more (all of a
 * category's files deleted, or corrected into another), so the files are unclassified until
 * a new model can be trained. Trainings take turns for a few slots per process (see
 * `training-slots.ts`); `forge.close()` waits for them (see {@link stopTrainings}).
 */
export function train(rt: SorterRuntime, tenant: string): Promise<ClassifierModel> {
  const { ctx } = rt;
  // Asked for before close() began, a training runs (within the grace); after, none starts.
  if (ctx.closing) {
    return Promise.reject(
      new FileForgeError(
        ErrorCode.SHUTTING_DOWN,
        '[fileforge:sorter] The forge is closing: no training starts',
      ),
    );
  }
  let forge = running.get(ctx);
  if (!forge) {
    forge = { trainings: new Set(), stop: new AbortController() };
    // Every training waiting or running listens on it: as many as are asked for at once.
    setMaxListeners(0, forge.stop.signal);
    running.set(ctx, forge);
  }
  const { trainings, stop } = forge;
  // Waits for one of the process's training slots (see training-slots.ts); the labels are read
  // once it has one, so trainings waiting in line hold no copy of them.
  const training = trainingSlots.run(() => trainNow(rt, tenant, stop.signal), stop.signal);
  const settled = training.then(
    () => {},
    () => {},
  );
  trainings.add(settled);
  void settled.then(() => trainings.delete(settled));
  return training;
}

/** Trainings asked for in each forge (running or waiting for a slot), and what stops them. */
const running = new WeakMap<ForgeContext, { trainings: Set<Promise<void>>; stop: AbortController }>();

/**
 * Waits for the forge's trainings (at `close()`), stopping those still running after
 * `graceMs`: their models are not stored, and the labels they would have covered stay counted
 * for the next training.
 */
export async function stopTrainings(ctx: ForgeContext, graceMs: number): Promise<void> {
  const forge = running.get(ctx);
  if (!forge || forge.trainings.size === 0) return;
  const timer = setTimeout(
    () =>
      forge.stop.abort(
        new FileForgeError(
          ErrorCode.SHUTTING_DOWN,
          '[fileforge:sorter] The forge closed during the training',
        ),
      ),
    graceMs,
  );
  timer.unref();
  await Promise.all([...forge.trainings]);
  clearTimeout(timer);
}

/** Reads the tenant's labels, trains off the event loop until `signal` stops it, stores the model. */
async function trainNow(rt: SorterRuntime, tenant: string, signal: AbortSignal): Promise<ClassifierModel> {
  // Read first: labels given while this trains stay counted for the next training.
  const through = await rt.store.models.labelSequence(tenant);
  const labelled = await rt.store.tree.labelled(tenant);
  const examples = labelled.flatMap((record) =>
    record.classification?.category
      ? [{ subject: subjectFromRecord(record), category: record.classification.category }]
      : [],
  );
  const categories = new Set(examples.map((e) => e.category)).size;
  if (categories < 2) await rt.store.models.remove(tenant);
  if (examples.length === 0) {
    throw new FileForgeError(
      ErrorCode.CONFLICT,
      '[fileforge:sorter] No labels yet: confirm or correct some files’ categories first',
    );
  }
  // On a worker thread: thousands of labels train for half a second and more, which on the
  // event loop would stall every other request, upload and webhook.
  const model = await trainClassifierOffLoop(examples, {
    now: rt.ctx.options.now,
    logger: rt.ctx.options.logger,
    signal,
  });
  const stored = await rt.store.models.put(
    tenant,
    { model, labelCount: examples.length, trainedAt: model.trainedAt },
    through,
  );
  rt.ctx.options.logger.info(
    { tenant, labels: examples.length, categories: model.categories.length, stored },
    stored ? 'classifier trained' : 'classifier trained, but a newer model was stored meanwhile',
  );
  return model;
}

/**
 * A person confirms or corrects a file's category: the classification becomes `decided` by
 * that person (a label the classifier learns from), `file.classified` is committed with it,
 * and once {@link RETRAIN_EVERY} labels have come in since the last training the classifier
 * retrains (unless `retrain: false`: the caller labels more and calls {@link retrainIfDue} once).
 */
export async function correct(
  rt: SorterRuntime,
  tenant: string,
  fileId: string,
  category: string,
  userId: string | null,
  options: { retrain?: boolean } = {},
): Promise<Classification> {
  const { ctx } = rt;
  // One category however it was typed (`café` composed or decomposed, as macOS sends it).
  const name = category.trim().normalize('NFC');
  const problem = categoryProblem(name);
  if (problem) {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:sorter] ${problem}`, {
      details: { fields: [{ path: 'category', message: problem }] },
    });
  }
  const at = isoNow(ctx);
  const record = await ctx.catalog.files.get(tenant, fileId);
  if (!record) throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:sorter] File ${fileId} not found`);
  const previous = record.classification;
  const classification: Classification = {
    status: 'decided',
    category: name,
    decidedBy: { kind: 'person', ...(userId ? { userId } : {}) },
    explanation: {
      summary:
        previous?.category && previous.category !== name
          ? `Corrected from "${previous.category}" to "${name}" by a person.`
          : `Category "${name}" confirmed by a person.`,
      rules: [],
    },
    decidedAt: at,
  };
  // Counted in the label's own transaction (every SQL catalog offers its query builder there).
  let countedInTransaction = false;
  const file = await commitWithEvent(
    ctx,
    async (tx) => {
      const updated = await tx.files.update(tenant, fileId, { classification, category: name });
      const on = tx.db?.() as Db | undefined;
      countedInTransaction = updated !== null && on !== undefined;
      if (updated && on) await rt.store.models.addLabel(tenant, on);
      return updated;
    },
    (file) =>
      file &&
      caused('file.classified', {
        eventId: eventId(fileId, 'file.classified', 'person', at, name),
        tenant,
        file,
        classification,
        timestamp: at,
      }),
  );
  // A catalog without a query builder in its transactions counts the label right after.
  if (file && !countedInTransaction) await rt.store.models.addLabel(tenant);
  await ctx.dispatcher.deliver();
  if (options.retrain !== false) await retrainIfDue(rt, tenant);
  return classification;
}

/** Automatic trainings running in this process, by tenant. */
const retraining = new WeakMap<SorterRuntime, Set<string>>();

/**
 * Retrains when {@link RETRAIN_EVERY} labels were given since the last training, unless an
 * automatic training of the tenant is already running here (the labels it did not see stay
 * counted); failures are logged, never thrown.
 */
export async function retrainIfDue(rt: SorterRuntime, tenant: string): Promise<boolean> {
  const running = retraining.get(rt) ?? new Set<string>();
  retraining.set(rt, running);
  if (running.has(tenant)) return false;
  running.add(tenant);
  try {
    const labels = await rt.store.models.newLabels(tenant);
    if (labels < RETRAIN_EVERY) return false;
    await train(rt, tenant);
    return true;
  } catch (err) {
    rt.ctx.options.logger.warn({ err, tenant }, 'classifier could not retrain; will try at the next label');
    return false;
  } finally {
    running.delete(tenant);
  }
}
