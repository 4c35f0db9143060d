import type { IncomingMessage } from 'node:http';
import type { FileForgeServer } from '@fileforge/server';
import type { HttpBindings } from '@hono/node-server';
import type { Handler } from 'hono';

/**
 * The request body as a stream that reads the Node request only when something pulls it (a
 * JSON route); an upload, which FileForge streams from the Node request itself, never does.
 */
function lazyBody(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream(
    {
      async pull(controller) {
        chunks ??= incoming[Symbol.asyncIterator]();
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value));
      },
      cancel() {
        incoming.resume();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A Hono handler that serves FileForge's API under `prefix`: FileForge sees the path without it
 * (`/fileforge/api/v1/files` → `/api/v1/files`) and gets the Node request (`c.env.incoming`),
 * which uploads stream from. Hono's `mount()` is not used because it copies the request, which
 * starts reading the body before FileForge's upload route can stream it.
 */
export function fileforgeRoute(
  fileforge: FileForgeServer,
  prefix: string,
): Handler<{ Bindings: HttpBindings }> {
  return (c) => {
    const raw = c.req.raw;
    const url = new URL(raw.url);
    url.pathname = url.pathname.slice(prefix.length) || '/';
    const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD';
    const request = new Request(url, {
      method: raw.method,
      headers: raw.headers,
      signal: raw.signal,
      ...(hasBody ? { body: lazyBody(c.env.incoming), duplex: 'half' } : {}),
    } as RequestInit);
    return fileforge.app.fetch(request, c.env);
  };
}
