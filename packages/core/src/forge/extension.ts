/**
 * The seam through which a package adds a module to a forge: its own tables (migrations),
 * workflow step kinds, event listeners that must not miss an event a crash left undelivered,
 * and a lifetime bound to the forge's. `@fileforge/integrations` (webhooks and connectors) is
 * one; an application may write its own.
 *
 * @module
 */
import type { MigrationModule } from '../catalog/index.js';
import type { EventBus } from '../events/index.js';
import type { WorkflowStepKind } from '../workflows/step-kind.js';
import type { Forge } from './forge.js';

/**
 * A module plugged into `createForge({ extensions: [...] })`. Every member is optional.
 * Order at start-up: migrations (with the forge's own) → `subscribe` → the forge starts
 * (queue, outbox delivery, workflows, watchers) → `start`. At `close()`: `close` runs first,
 * before the queue and the catalog close, so the module can finish what it has in flight.
 *
 * @example
 * ```ts
 * const audit: ForgeExtension = {
 *   name: 'audit',
 *   migrations: { name: 'audit', migrations: { '0001_init': { up: async (db) => {} } } },
 *   subscribe: (events) => events.on('file.deleted', (e) => record(e)),
 * };
 * const forge = await createForge({ extensions: [audit] });
 * ```
 */
export interface ForgeExtension {
  /** Lower-case name, unique among a forge's extensions (used in logs and errors). */
  readonly name: string;
  /** Tables the module owns; applied at start-up with the forge's own migrations. */
  readonly migrations?: MigrationModule;
  /** Workflow step kinds, registered before runs resume at start-up. */
  readonly steps?: Iterable<WorkflowStepKind>;
  /** Subscribes listeners before start-up, so they also get events a crash left undelivered. */
  subscribe?(events: EventBus): void;
  /** Runs once the forge has started; a rejection fails `createForge()` (the forge is closed). */
  start?(forge: Forge): Promise<void>;
  /** Stops the module's work; awaited at the start of `forge.close()`. */
  close?(): Promise<void>;
}
