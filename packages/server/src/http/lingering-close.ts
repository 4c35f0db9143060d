/**
 * Lingering close, as web servers do it (nginx's `lingering_close`).
 *
 * How this works: when the server answers a request before reading its whole body (a refused
 * upload, a 401 or 429 on a POST) and then closes the connection, Node destroys the socket as
 * soon as the answer is flushed. The client is usually still sending; its next bytes meet a
 * closed socket, the kernel answers with a reset, and a reset makes the client's kernel drop
 * the answer it had received but not yet read: the user sees "connection reset" instead of
 * `413 FILE_TOO_LARGE`. Here the close of such a connection ends our side (FIN after the
 * answer) and keeps reading, discarding what the client still sends. After `maxBytes` it stops
 * reading instead of resetting: TCP flow control holds the client's writes while it reads the
 * answer, and it closes. Only when the client has not closed after `lingerMs` is the socket
 * destroyed.
 *
 * Node closes through `socket.destroySoon()` (after an answer with `Connection: close`), and so
 * does `@hono/node-server` when it gives up draining an unread body; this replaces that method
 * on each socket of the server, and leaves every other close as it was.
 *
 * @module
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/** Options for {@link lingerOnClose}. */
export interface LingeringCloseOptions {
  /** Most body bytes read and discarded after the answer; then reading stops. @default 1048576 (1 MiB) */
  maxBytes?: number;
  /** Longest a closing connection waits for the client to stop sending. @default 5000 */
  lingerMs?: number;
}

/**
 * Makes every connection of `server` that closes with a request body still unread linger,
 * so the client receives the answer before the connection goes.
 *
 * @example
 * const server = serve({ fetch: app.fetch, port: 8000 });
 * lingerOnClose(server, { maxBytes: 1024 * 1024 });
 */
export function lingerOnClose(server: Server, options: LingeringCloseOptions = {}): void {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const lingerMs = options.lingerMs ?? 5000;
  const current = new WeakMap<Socket, IncomingMessage>();
  server.on('request', (req: IncomingMessage) => current.set(req.socket, req));
  server.on('connection', (socket: Socket) => {
    const destroySoon = socket.destroySoon;
    let lingering = false;
    socket.destroySoon = function lingeringDestroySoon(this: Socket) {
      if (lingering) return;
      const req = current.get(socket);
      if (!req || req.complete || socket.destroyed) return destroySoon.call(this);
      lingering = true;
      let read = 0;
      const timer = setTimeout(() => socket.destroy(), lingerMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
      const discard = (chunk: Buffer) => {
        read += chunk.length;
        if (read <= maxBytes) return;
        req.off('data', discard);
        req.pause();
      };
      req.on('data', discard);
      req.resume();
      // The answer is flushed first, then FIN; the client's FIN (its close) ends the socket.
      socket.end();
    };
  });
}
