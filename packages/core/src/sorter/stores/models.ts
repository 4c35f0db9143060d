/**
 * The classifier's model per tenant (`classifier_models`) and the labels given to it
 * (`classifier_new_labels`): a count that only grows, every label given ever, and each model
 * stores the count its training read (`labels_through`), so the labels given since a model
 * are the difference — whatever trainings overlap, no label is taken off twice.
 *
 * @module
 */
import type { Db } from './tables.js';

/** A tenant's classifier model as stored. */
export interface StoredModel<M = unknown> {
  model: M;
  labelCount: number;
  trainedAt: string;
}

/** The classifier's trained model of each tenant. */
export interface ModelsStore {
  get<M>(tenant: string): Promise<StoredModel<M> | null>;
  /**
   * Stores a model trained on the labels given up to `labelsThrough` (what {@link labelSequence}
   * answered before its training read them). A model that covers fewer labels than the stored
   * one is not stored: answers false. One statement, so trainings on several instances at once
   * store one model, never fail on each other.
   */
  put(tenant: string, stored: StoredModel, labelsThrough: number): Promise<boolean>;
  /** Removes the tenant's model (its labels no longer train one); its files are then unclassified. */
  remove(tenant: string): Promise<void>;
  /** Counts a label given, in `on` (the transaction that records it) when given. */
  addLabel(tenant: string, on?: Db): Promise<void>;
  /** How many labels were ever given to the tenant's classifier. */
  labelSequence(tenant: string): Promise<number>;
  /** Labels given since the stored model's training read them (all of them without a model). */
  newLabels(tenant: string): Promise<number>;
}

export function createModelsStore(db: Db): ModelsStore {
  const labelSequence = async (tenant: string) => {
    const r = await db
      .selectFrom('classifier_new_labels')
      .select('count')
      .where('tenant', '=', tenant)
      .executeTakeFirst();
    return Number(r?.count ?? 0);
  };
  return {
    async get<M>(tenant: string) {
      const r = await db
        .selectFrom('classifier_models')
        .selectAll()
        .where('tenant', '=', tenant)
        .executeTakeFirst();
      return r
        ? { model: JSON.parse(r.model) as M, labelCount: Number(r.label_count), trainedAt: r.trained_at }
        : null;
    },
    async put(tenant, stored, labelsThrough) {
      const result = await db
        .insertInto('classifier_models')
        .values({
          tenant,
          model: JSON.stringify(stored.model),
          label_count: stored.labelCount,
          trained_at: stored.trainedAt,
          labels_through: labelsThrough,
        })
        .onConflict((oc) =>
          oc
            .column('tenant')
            .doUpdateSet((eb) => ({
              model: eb.ref('excluded.model'),
              label_count: eb.ref('excluded.label_count'),
              trained_at: eb.ref('excluded.trained_at'),
              labels_through: eb.ref('excluded.labels_through'),
            }))
            .where('classifier_models.labels_through', '<=', labelsThrough),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async remove(tenant) {
      await db.deleteFrom('classifier_models').where('tenant', '=', tenant).execute();
    },
    async addLabel(tenant, on = db) {
      await on
        .insertInto('classifier_new_labels')
        .values({ tenant, count: 1 })
        .onConflict((oc) =>
          oc.column('tenant').doUpdateSet((eb) => ({ count: eb('classifier_new_labels.count', '+', 1) })),
        )
        .execute();
    },
    labelSequence,
    async newLabels(tenant) {
      const model = await db
        .selectFrom('classifier_models')
        .select('labels_through')
        .where('tenant', '=', tenant)
        .executeTakeFirst();
      return Math.max(0, (await labelSequence(tenant)) - Number(model?.labels_through ?? 0));
    },
  };
}
