import type { CatalogTransaction, OutboxAppend } from '../catalog/index.js';
import type { ForgeEventName, ForgeEventPayload } from '../events/index.js';
import type { ForgeContext } from './context.js';
import { crashPoint } from './crash-point.js';

/** An event a state change causes. */
export interface CausedEvent<E extends ForgeEventName = ForgeEventName> {
  type: E;
  payload: ForgeEventPayload<E>;
}

/** Builds a {@link CausedEvent} with its payload checked against its name. */
export const caused = <E extends ForgeEventName>(type: E, payload: ForgeEventPayload<E>): CausedEvent<E> => ({
  type,
  payload,
});

/**
 * The outbox stream an event is ordered in: a file's events per file (`<tenant>/<fileId>`),
 * a run's events per run (`<tenant>/workflow/<runId>`).
 */
export function eventStream(event: CausedEvent): string {
  const payload = event.payload as { tenant: string; file?: { id: string }; runId?: string };
  if (payload.file) return `${payload.tenant}/${payload.file.id}`;
  if (payload.runId !== undefined) return `${payload.tenant}/workflow/${payload.runId}`;
  return `${payload.tenant}/${event.type}`;
}

/** The outbox entry of `event`: keyed by its event id, in its {@link eventStream}, dated by its payload. */
export function outboxEntry(event: CausedEvent): OutboxAppend {
  const { type, payload } = event;
  return { id: payload.eventId, type, stream: eventStream(event), payload, createdAt: payload.timestamp };
}

/**
 * Runs a state change and appends the event it causes to the outbox in one transaction: the
 * event exists exactly when the change committed, whatever dies afterwards. `event` sees the
 * change's result (the stored record) and may return `null` for no event. Delivery is the
 * caller's next step (`ctx.dispatcher.deliver()`), once any side work (blob clean-up) is done.
 */
export async function commitWithEvent<T>(
  ctx: ForgeContext,
  change: (tx: CatalogTransaction) => Promise<T>,
  event: (result: T) => CausedEvent | null,
): Promise<T> {
  let committed: CausedEvent | null = null;
  const result = await ctx.catalog.transaction(async (tx) => {
    const result = await change(tx);
    committed = event(result);
    if (committed) await tx.outbox.append(outboxEntry(committed));
    return result;
  });
  if (committed) crashPoint('after-outbox-commit', (committed as CausedEvent).type);
  return result;
}
