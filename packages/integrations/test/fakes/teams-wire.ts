/**
 * Microsoft Graph wire pieces shared by the Teams fake's route groups: the error body
 * `{ error: { code, message, innerError } }`, `@odata.nextLink` paging and the driveItem shape.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

/** A Graph driveItem as `GET /drives/{id}/items/{id}` returns it (the fields the spec lists). */
export interface DriveItem {
  id: string;
  name: string;
  webUrl: string;
  /** `"{GUID},N"` — the GUID is the id a reference attachment must carry. */
  eTag: string;
  cTag: string;
  size: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  parentReference: { driveId: string; driveType: 'documentLibrary'; id?: string };
  file?: { mimeType: string };
  folder?: { childCount: number };
}

/** A driveItem with its bytes (files) — what the drive store holds. */
export interface StoredDriveItem {
  item: DriveItem;
  /** `undefined` for folders. */
  content?: Buffer;
}

/** Answers a Graph error: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphError(
  c: Context,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const requestId = randomUUID();
  const body = {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': c.req.header('client-request-id') ?? requestId,
      },
    },
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'request-id': requestId, ...headers },
  });
}

/**
 * One page of a collection: `{ value, @odata.nextLink? }`. `$top` sets the page size (capped at
 * `maxPageSize`), `$skiptoken` is the fake's opaque cursor; the nextLink is absolute and points back at
 * the fake with the caller's other query parameters kept.
 */
export function graphPage<T>(c: Context, all: readonly T[], pageSize: number, maxPageSize = 999): Response {
  const url = new URL(c.req.url);
  const top = Number(url.searchParams.get('$top') ?? pageSize);
  const size = Math.max(1, Math.min(Number.isFinite(top) ? top : pageSize, maxPageSize));
  const token = url.searchParams.get('$skiptoken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) || 0 : 0;
  const value = all.slice(offset, offset + size);
  const body: Record<string, unknown> = { '@odata.context': `${url.origin}/v1.0/$metadata`, value };
  if (offset + size < all.length) {
    url.searchParams.set('$skiptoken', Buffer.from(String(offset + size)).toString('base64url'));
    url.searchParams.set('$top', String(size));
    body['@odata.nextLink'] = url.toString().replaceAll('%24', '$');
  }
  return Response.json(body);
}
