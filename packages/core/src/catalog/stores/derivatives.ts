import type { Kysely } from 'kysely';
import type { DerivativeCatalog } from '../catalog.js';
import { derivativeFromRow, derivativeToRow } from '../rows.js';
import type { CatalogDatabase } from '../schema.js';

/** Derivative records over Kysely, for every SQL dialect. */
export function createDerivativeStore(db: Kysely<CatalogDatabase>): DerivativeCatalog {
  const derivatives: DerivativeCatalog = {
    async put(d) {
      const row = derivativeToRow(d);
      await db
        .insertInto('derivatives')
        .values(row)
        .onConflict((oc) => oc.columns(['file_id', 'name']).doUpdateSet({ ...row }))
        .execute();
    },
    async list(fileId) {
      const rows = await db
        .selectFrom('derivatives')
        .selectAll()
        .where('file_id', '=', fileId)
        .orderBy('name')
        .execute();
      return rows.map(derivativeFromRow);
    },
    async get(fileId, name) {
      const row = await db
        .selectFrom('derivatives')
        .selectAll()
        .where('file_id', '=', fileId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? derivativeFromRow(row) : null;
    },
    async remove(fileId, name) {
      await db.deleteFrom('derivatives').where('file_id', '=', fileId).where('name', '=', name).execute();
    },
  };
  return derivatives;
}
