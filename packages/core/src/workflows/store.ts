/**
 * Workflows, runs and step results over Kysely, the same queries on every SQL dialect. Built
 * on the catalog's query builder (`catalog.db()`), or on a transaction's (`tx.db()`) when a
 * status change must commit together with its event.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import { type QueryTemplates, templatesOf } from '../catalog/query-templates.js';
import { createDefinitionStore } from './stores/definitions.js';
import type { WorkflowDatabase } from './stores/rows.js';
import { createRunStore } from './stores/runs.js';
import { createStepStore } from './stores/steps.js';

export type { WorkflowDatabase } from './stores/rows.js';
export type { NewRun, RunPage, RunPatch } from './stores/runs.js';
export type { StepPatch } from './stores/steps.js';

/**
 * Creates the workflow store over a Kysely instance (the catalog's, or a transaction's). Its hot
 * queries are compiled once per shape into `templates`: give the catalog's to a store bound to a
 * transaction. @default the templates kept for `anyDb`
 */
// biome-ignore lint/suspicious/noExplicitAny: the catalog hands modules an untyped query builder
export function createWorkflowStore(anyDb: Kysely<any>, templates: QueryTemplates = templatesOf(anyDb)) {
  const db = anyDb as Kysely<WorkflowDatabase>;
  return {
    ...createDefinitionStore(db, templates),
    ...createRunStore(db, templates),
    ...createStepStore(db, templates),
  };
}

/** The workflow store's methods. */
export type WorkflowStore = ReturnType<typeof createWorkflowStore>;
