/**
 * The classifier's model per tenant (`classifier_models`).
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
  put(tenant: string, stored: StoredModel): Promise<void>;
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
    async put(tenant, stored) {
      await transact(db, async (trx) => {
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
      });
    },
  };
}
