/**
 * The SAP fake's `$batch` (OData V2 batch processing, as SAP Gateway serves it):
 * `POST {serviceRoot}/$batch` with `Content-Type: multipart/mixed; boundary=…`, behind the same
 * Basic auth and CSRF check as any write. Each top-level part is either a change set (a nested
 * `multipart/mixed` of modifying `application/http` requests, applied all or nothing) or one
 * `application/http` GET. The answer is 202 Accepted, `multipart/mixed`, one part per
 * top-level part: a change set's responses in a nested `multipart/mixed` — or, when any of its
 * requests failed, the changes rolled back and that error alone as a single `application/http`
 * part. A body that is not a well-formed batch answers 400 for the whole request.
 *
 * Operations run against the fake's own entity routes (`entities`), so they are checked as a
 * single request would be; paths are relative to the service root.
 *
 * @module
 */
import { STATUS_CODES } from 'node:http';
import type { Context, Hono } from 'hono';
import { type RawPart, splitMultipart } from './mime-parts.js';
import type { SapContext } from './sap.js';
import { odataError } from './sap-wire.js';

const MODIFYING = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary=("([^"]+)"|[^;\s]+)/i.exec(contentType ?? '');
  return match ? (match[2] ?? match[1]) : undefined;
}

/** One request inside an `application/http` part; `null` when the part is not one. */
function requestOf(part: RawPart): { method: string; path: string; headers: Headers; body: Buffer } | null {
  if (!/^application\/http\b/i.test(part.headers['content-type'] ?? '')) return null;
  const split = part.body.indexOf('\r\n\r\n');
  const head = part.body.subarray(0, split < 0 ? part.body.length : split).toString('utf8');
  const [line = '', ...lines] = head.split('\r\n');
  const start = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(line.trim());
  if (!start) return null;
  const headers = new Headers();
  for (const h of lines) {
    const colon = h.indexOf(':');
    if (colon > 0) headers.set(h.slice(0, colon).trim(), h.slice(colon + 1).trim());
  }
  return {
    method: start[1]!,
    path: start[2]!,
    headers,
    body: split < 0 ? Buffer.alloc(0) : part.body.subarray(split + 4),
  };
}

/** A response as an `application/http` part. */
async function responsePart(response: Response, contentId: string | null): Promise<string> {
  const body = await response.text();
  const headers = [
    ...(response.headers.get('content-type')
      ? [`Content-Type: ${response.headers.get('content-type')}`]
      : []),
    ...(response.headers.get('location') ? [`Location: ${response.headers.get('location')}`] : []),
    ...(contentId ? [`Content-ID: ${contentId}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return (
    'Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n' +
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n${headers.join('\r\n')}\r\n\r\n${body}`
  );
}

const join = (boundary: string, parts: string[]) =>
  `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;

let counter = 0;

/** Answers `POST {serviceRoot}/$batch` for `service`. */
export async function answerBatch(
  c: Context,
  ctx: SapContext,
  entities: Hono,
  service: string,
): Promise<Response> {
  const bad = (message: string) => odataError(c, 400, '/IWBEP/CM_MGW_RT/004', message, service);
  const boundary = boundaryOf(c.req.header('content-type'));
  if (!/^multipart\/mixed\b/i.test(c.req.header('content-type') ?? '') || !boundary)
    return bad('Content-Type of a batch request must be multipart/mixed with a boundary');
  const parts = splitMultipart(Buffer.from(await c.req.arrayBuffer()), boundary);
  if (!parts || parts.length === 0) return bad('The batch request is not a well-formed multipart body');
  const root = new URL(c.req.url);
  root.pathname = root.pathname.replace(/\$batch$/, '');
  const run = (r: NonNullable<ReturnType<typeof requestOf>>) => {
    const url = new URL(r.path, root);
    for (const [k, v] of root.searchParams) if (!url.searchParams.has(k)) url.searchParams.set(k, v);
    return entities.request(url.href, {
      method: r.method,
      headers: r.headers,
      ...(r.body.length > 0 ? { body: r.body } : {}),
    });
  };

  const answers: string[] = [];
  for (const part of parts) {
    const inner = boundaryOf(part.headers['content-type']);
    if (/^multipart\/mixed\b/i.test(part.headers['content-type'] ?? '') && inner) {
      const requests = (splitMultipart(part.body, inner) ?? []).map(requestOf);
      if (requests.length === 0 || requests.some((r) => r === null))
        return bad('A change set must hold application/http requests');
      if (requests.some((r) => !MODIFYING.has(r!.method)))
        return bad('A change set may hold only POST, PUT, PATCH, MERGE and DELETE requests');
      const snapshot = {
        products: new Map(ctx.stores.products),
        purchaseOrders: new Map(ctx.stores.purchaseOrders),
        attachments: ctx.stores.attachments.length,
      };
      const done: string[] = [];
      let failed: string | undefined;
      for (const r of requests) {
        const response = await run(r!);
        const answer = await responsePart(response, r!.headers.get('content-id'));
        if (response.status >= 400) {
          failed = answer;
          break;
        }
        done.push(answer);
      }
      if (failed) {
        // all or nothing: what the change set did before the failure is undone
        for (const key of ['products', 'purchaseOrders'] as const) {
          ctx.stores[key].clear();
          for (const [k, v] of snapshot[key]) ctx.stores[key].set(k, v);
        }
        ctx.stores.attachments.length = snapshot.attachments;
        answers.push(failed);
      } else {
        counter += 1;
        const cs = `changeset_${counter.toString(16).padStart(8, '0')}`;
        answers.push(`Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n${join(cs, done)}`);
      }
      continue;
    }
    const r = requestOf(part);
    if (!r) return bad('A batch part must be a change set or an application/http request');
    if (r.method !== 'GET') return bad('Outside a change set only GET requests are allowed');
    answers.push(await responsePart(await run(r), null));
  }
  counter += 1;
  const batch = `batch_${counter.toString(16).padStart(8, '0')}`;
  return c.body(join(batch, answers), 202, { 'content-type': `multipart/mixed; boundary=${batch}` });
}
