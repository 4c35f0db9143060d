/**
 * The classifier's model per tenant (`classifier_models`) and the labels given since it was
 * trained (`classifier_new_labels`).
 *
 * @module
 */
import { transact } from '../../catalog/transact.js';
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
   * Stores a model trained on the labels counted up to `newLabels` (what {@link newLabels}
   * answered before training), taking those off the count; labels given while it trained stay
   * counted. A model trained before the stored one (`trainedAt`) is not stored: answers false.
   */
  put(tenant: string, stored: StoredModel, newLabels?: number): Promise<boolean>;
  /** Counts a label given, in `on` (the transaction that records it) when given. */
  addLabel(tenant: string, on?: Db): Promise<void>;
  /** Labels given since the last training. */
  newLabels(tenant: string): Promise<number>;
}

export function createModelsStore(db: Db): ModelsStore {
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
    async put(tenant, stored, newLabels = 0) {
      return transact(db, async (trx) => {
        const current = await trx
          .selectFrom('classifier_models')
          .select('trained_at')
          .where('tenant', '=', tenant)
          .executeTakeFirst();
        if (current && current.trained_at > stored.trainedAt) return false;
        await trx.deleteFrom('classifier_models').where('tenant', '=', tenant).execute();
        await trx
          .insertInto('classifier_models')
          .values({
            tenant,
            model: JSON.stringify(stored.model),
            label_count: stored.labelCount,
            trained_at: stored.trainedAt,
          })
          .execute();
        if (newLabels > 0) {
          await trx
            .updateTable('classifier_new_labels')
            .set((eb) => ({
              count: eb
                .case()
                .when('count', '>', newLabels)
                .then(eb('count', '-', newLabels))
                .else(0)
                .end(),
            }))
            .where('tenant', '=', tenant)
            .execute();
        }
        return true;
      });
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
    async newLabels(tenant) {
      const r = await db
        .selectFrom('classifier_new_labels')
        .select('count')
        .where('tenant', '=', tenant)
        .executeTakeFirst();
      return Number(r?.count ?? 0);
    },
  };
}
