/**
 * The sorter's rules per tenant (`sort_rules`).
 *
 * @module
 */
import { transact } from '../../catalog/transact.js';
import type { Rule } from '../rule-schema.js';
import type { Db } from './tables.js';

/** A stored rule with its bookkeeping. */
export interface StoredRule {
  rule: Rule;
  createdAt: string;
  updatedAt: string;
}

/** A tenant's sorting rules. */
export interface RulesStore {
  /** A tenant's rules, highest priority first (equal priorities: oldest first). */
  list(tenant: string): Promise<StoredRule[]>;
  get(tenant: string, id: string): Promise<StoredRule | null>;
  /** Inserts or replaces the rule with this id; returns whether it was new. */
  put(tenant: string, rule: Rule, at: string): Promise<boolean>;
  /** Removes a rule; false when there was none. */
  remove(tenant: string, id: string): Promise<boolean>;
}

export function createRulesStore(db: Db): RulesStore {
  return {
    async list(tenant) {
      const rows = await db
        .selectFrom('sort_rules')
        .selectAll()
        .where('tenant', '=', tenant)
        .orderBy('priority', 'desc')
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map((r) => ({
        rule: JSON.parse(r.definition),
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }));
    },
    async get(tenant, id) {
      const r = await db
        .selectFrom('sort_rules')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? { rule: JSON.parse(r.definition), createdAt: r.created_at, updatedAt: r.updated_at } : null;
    },
    async put(tenant, rule, at) {
      return transact(db, async (trx) => {
        const values = { priority: rule.priority, definition: JSON.stringify(rule), updated_at: at };
        const updated = await trx
          .updateTable('sort_rules')
          .set(values)
          .where('tenant', '=', tenant)
          .where('id', '=', rule.id)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) return false;
        await trx
          .insertInto('sort_rules')
          .values({ tenant, id: rule.id, created_at: at, ...values })
          .execute();
        return true;
      });
    },
    async remove(tenant, id) {
      const r = await db
        .deleteFrom('sort_rules')
        .where('tenant', '=', tenant)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
