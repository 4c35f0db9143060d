/**
 * Streamed request bodies on Node without `fetch`. Node's `fetch` (undici) keeps every chunk of
 * a streamed request body until the response ends (nodejs/undici#4058), so an upload through it
 * costs its file's size in memory. On Node, a request with a stream body is sent with
 * `node:http`/`node:https` instead, which hands each chunk to the socket and lets it go; the
 * answer is returned as a web `Response`, as `fetch` would. Everywhere else — browsers, bodies
 * that are not streams, a `fetch` of the caller's own — `fetch` is used unchanged.
 *
 * The Node modules are imported by a computed name, so browser bundlers leave them out.
 *
 * @module
 */
import type * as Http from 'node:http';
import type * as Stream from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

type Fetch = typeof globalThis.fetch;

const onNode = () => typeof globalThis.process?.versions?.node === 'string';
const nodeModule = <T>(name: string): Promise<T> => import(/* @vite-ignore */ `node:${name}`) as Promise<T>;

/** Statuses whose answer has no body (a `Response` refuses one for them). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * `fetch`, except that on Node a request whose body is a `ReadableStream` is sent through
 * `node:http`/`node:https` (see the module comment).
 */
export function streamingFetch(fetchImpl: Fetch): Fetch {
  if (!onNode()) return fetchImpl;
  return (input, init) => {
    const body = init?.body;
    if (!(body instanceof ReadableStream) || typeof input !== 'string') return fetchImpl(input, init);
    return sendStream(input, init as RequestInit, body);
  };
}

async function sendStream(url: string, init: RequestInit, body: ReadableStream): Promise<Response> {
  const target = new URL(url);
  const [{ request }, { Readable }] = await Promise.all([
    nodeModule<typeof Http>(target.protocol === 'https:' ? 'https' : 'http'),
    nodeModule<typeof Stream>('stream'),
  ]);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  return new Promise<Response>((resolve, reject) => {
    const req = request(target, {
      method: init.method ?? 'POST',
      headers,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    // From the start: a refused connection, a reset, an abort.
    req.on('error', reject);
    req.on('response', (res) => {
      const answer = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (Array.isArray(value)) for (const v of value) answer.append(name, v);
        else if (value !== undefined) answer.set(name, value);
      }
      const status = res.statusCode ?? 502;
      const hasBody = !NULL_BODY.has(status) && init.method !== 'HEAD';
      // Read and dropped; a reset after the answer must not go unhandled.
      if (!hasBody) res.on('error', () => {}).resume();
      resolve(
        new Response(hasBody ? (Readable.toWeb(res) as ReadableStream<Uint8Array>) : null, {
          status,
          statusText: res.statusMessage ?? '',
          headers: answer,
        }),
      );
    });
    const source = Readable.fromWeb(body as NodeReadableStream);
    // A source that fails ends the request with its error (the caller reports it).
    source.on('error', (error) => req.destroy(error));
    // A request that ends early (answered before the body was read, aborted) stops the source.
    req.on('close', () => {
      if (!source.readableEnded) source.destroy();
    });
    source.pipe(req);
  });
}
