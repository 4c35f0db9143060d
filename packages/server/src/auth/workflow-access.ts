/**
 * What a workflow may do on a caller's behalf, checked when it is saved and when a caller
 * starts or retries a run: a workflow must not be a way around the permission table.
 *
 * - A `connector.*` step acts with the tenant's connector credentials, which only
 *   `integrations:write` (admins) may use directly: saving, replacing, starting or retrying a
 *   workflow with one needs that permission too.
 * - A run started (or retried) on a file acts on that file, as reprocessing it does: an editor
 *   may do so only on files it may change (`assertCanChange` of `ownership.ts`), an admin on any.
 * - A trigger starts runs on files nobody asked for by hand: a workflow records who last saved
 *   it ({@link saverOf}), and its event and watch triggers start a run on a file only while that
 *   account may change the file (core's `saverMayChange`, the same rule as `canChange`). An
 *   editor's workflow thus acts on the editor's own uploads; an admin's on every file.
 *
 * @module
 */
import { ErrorCode, FileForgeError, type WorkflowDefinition, type WorkflowSaver } from '@fileforge/core';
import { roleAllows } from './permissions.js';
import type { Principal } from './principal.js';

/** Throws `FORBIDDEN` when `definition` has a connector step and the caller may not use connectors. */
export function assertMayUseSteps(principal: Principal, definition: Pick<WorkflowDefinition, 'steps'>): void {
  if (roleAllows(principal.role, 'integrations:write')) return;
  const connector = Object.entries(definition.steps).find(([, step]) => step.uses.startsWith('connector.'));
  if (!connector) return;
  throw new FileForgeError(
    ErrorCode.FORBIDDEN,
    `Step "${connector[0]}" (${connector[1].uses}) uses the tenant's connector credentials: only an admin (integrations:write) saves or runs such a workflow`,
    { details: { field: `steps.${connector[0]}.uses` } },
  );
}

/**
 * The saver to record with a workflow `principal` saves (creates or replaces): the user, or the
 * API key (its own principal for ownership), whose rights the workflow's triggers act with.
 */
export function saverOf(principal: Principal): WorkflowSaver {
  return { kind: principal.kind, id: principal.id };
}
