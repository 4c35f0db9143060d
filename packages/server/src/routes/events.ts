import { ErrorCode, FileForgeError } from '@fileforge/core';
import { streamSSE } from 'hono/streaming';
import type { Logger } from 'pino';
import { principalOf } from '../auth/ownership.js';
import type { Principal } from '../auth/principal.js';
import type { LiveEvents, LiveStreamSink } from '../http/live-events.js';
import { type ApiApp, secureRoute } from '../http/openapi.js';

/** Writes a stream may have queued before it counts as stuck and is ended (a client not reading). */
const MAX_PENDING_WRITES = 1000;

/**
 * `GET /api/v1/events`: the caller's tenant's `file.*` events as server-sent events, so a page
 * shows status changes without polling. Authenticated like every route (the web session cookie
 * included); a `ready` event opens the stream, `: ping` comments keep it alive, and it ends
 * when the client leaves or the server shuts down (the browser's `EventSource` reconnects then),
 * or at a heartbeat once the caller would no longer be let in (`stillValid`: a disabled or
 * deleted account, a revoked key or token).
 */
export function registerEventRoutes(
  app: ApiApp,
  live: LiveEvents,
  logger: Logger,
  heartbeatMs: number,
  stillValid: (principal: Principal) => Promise<boolean>,
): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/events',
      tags: ['Files'],
      summary: 'Live file events (server-sent events) of your tenant',
      description:
        'A `text/event-stream`: first `event: ready`, then one event per file change — `event:` is the type (`file.uploaded`, `file.processed`, `file.failed`, `file.classified`, `file.sorted`, `file.deleted`), `id:` its event id, `data:` JSON `{ eventId, type, timestamp, file: { id, name, status, mime, typeFamily, size, category, path, error, updatedAt } }` — and a `: ping` comment every heartbeat. Events are not replayed: after a reconnect, load the list again.',
      errors: [503],
      responses: {
        200: {
          description: 'The event stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
      },
    }),
    (c) => {
      const principal = principalOf(c);
      const { tenant } = principal;
      if (live.closed) throw new FileForgeError(ErrorCode.SHUTTING_DOWN, 'The server is shutting down');
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(
        c,
        async (stream) => {
          let finish!: () => void;
          const ended = new Promise<void>((resolve) => {
            finish = resolve;
          });
          let pending = 0;
          let chain = Promise.resolve();
          // Writes go out one after another; a failed write (the client left) ends the stream.
          const enqueue = (write: () => Promise<unknown>) => {
            if (++pending > MAX_PENDING_WRITES) return finish();
            chain = chain
              .then(write)
              .then(() => {
                pending--;
              })
              .catch(() => finish());
          };
          const sink: LiveStreamSink = {
            send: (event) =>
              enqueue(() =>
                stream.writeSSE({ event: event.type, id: event.eventId, data: JSON.stringify(event) }),
              ),
            heartbeat: () => {
              enqueue(() => stream.write(': ping\n\n'));
              // A user disabled, deleted or signed out everywhere, or a key revoked, since the
              // stream opened: it ends (a catalog that cannot answer now leaves it open).
              void stillValid(principal).then(
                (valid) => valid || finish(),
                () => {},
              );
            },
            end: () => finish(),
          };
          stream.onAbort(() => finish());
          const unsubscribe = live.subscribe(tenant, sink);
          try {
            enqueue(() =>
              stream.writeSSE({ event: 'ready', data: JSON.stringify({ tenant, heartbeatMs }), retry: 3000 }),
            );
            await ended;
          } finally {
            unsubscribe();
            await chain;
          }
        },
        async (err) => {
          logger.warn({ err }, 'live event stream failed');
        },
      );
    },
  );
}
