/**
 * Oracle Fusion REST (ADF REST framework) wire pieces for the Oracle fake: errors in the version-4
 * shape `{ title, status, o:errorDetails }` or, for older framework versions, plain text; item and
 * collection bodies with `links`; `limit`/`offset`/`hasMore` paging.
 *
 * @module
 */
import type { Context } from 'hono';

export const ITEM_TYPE = 'application/vnd.oracle.adf.resourceitem+json';
export const COLLECTION_TYPE = 'application/vnd.oracle.adf.resourcecollection+json';
export const ERROR_TYPE = 'application/vnd.oracle.adf.error+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
};

/** The framework version a request asked for (`REST-Framework-Version`, default 1). */
export function frameworkVersion(c: Context): number {
  return Number(c.req.header('rest-framework-version') ?? 1) || 1;
}

/**
 * An error as Fusion answers it: with `REST-Framework-Version` ≥ 4 the JSON
 * `{ title, status: "400", o:errorDetails: [{ detail, o:errorCode, o:errorPath }] }`; otherwise a
 * plain-text body with the detail only.
 */
export function oracleError(
  c: Context,
  status: number,
  detail: string,
  errorCode?: string,
  errorPath?: string,
): Response {
  const version = String(frameworkVersion(c));
  if (frameworkVersion(c) < 4) {
    return new Response(detail, {
      status,
      headers: { 'content-type': 'text/plain', 'rest-framework-version': version },
    });
  }
  const entry: Record<string, string> = { detail };
  if (errorCode) entry['o:errorCode'] = errorCode;
  if (errorPath) entry['o:errorPath'] = errorPath;
  const body = { title: TITLES[status] ?? 'Error', status: String(status), 'o:errorDetails': [entry] };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': ERROR_TYPE, 'rest-framework-version': version },
  });
}

/** An ADF link. */
export interface OracleLink {
  rel: string;
  href: string;
  name: string;
  kind: 'item' | 'collection' | 'describe';
}

/** `self`/`canonical` links of an item, plus its child collections. */
export function itemLinks(href: string, name: string, children: string[] = []): OracleLink[] {
  return [
    { rel: 'self', href, name, kind: 'item' },
    { rel: 'canonical', href, name, kind: 'item' },
    ...children.map((child) => ({
      rel: 'child',
      href: `${href}/child/${child}`,
      name: child,
      kind: 'collection' as const,
    })),
  ];
}

/** Answers an item with the ADF item media type (201 with Location on create). */
export function oracleItem(c: Context, item: Record<string, unknown>, status: 200 | 201 = 200): Response {
  const self = (item.links as OracleLink[] | undefined)?.[0]?.href;
  return new Response(JSON.stringify(item), {
    status,
    headers: {
      'content-type': ITEM_TYPE,
      'rest-framework-version': String(frameworkVersion(c)),
      ...(status === 201 && self ? { location: self } : {}),
    },
  });
}

/**
 * One page: `{ items, count, hasMore, limit, offset, totalResults?, links }`; `limit` defaults to 25 and
 * is capped at 500, `totalResults=true` adds the total, `q=Field=value;Other=value` filters by equality.
 */
export function oraclePage(c: Context, all: readonly Record<string, unknown>[]): Response {
  const url = new URL(c.req.url);
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 25) || 25, 1), 500);
  const offset = Math.max(Number(url.searchParams.get('offset') ?? 0) || 0, 0);
  const q = url.searchParams.get('q');
  const filters = q
    ? q.split(';').map((part) => part.split('=').map((s) => s.trim().replace(/^'(.*)'$/, '$1')))
    : [];
  const matching = all.filter((item) =>
    filters.every(([field, value]) => String(item[field ?? '']) === value),
  );
  const items = matching.slice(offset, offset + limit);
  const body: Record<string, unknown> = {
    items,
    count: items.length,
    hasMore: offset + limit < matching.length,
    limit,
    offset,
  };
  if (url.searchParams.get('totalResults') === 'true') body.totalResults = matching.length;
  body.links = [
    { rel: 'self', href: url.toString(), name: url.pathname.split('/').pop() ?? '', kind: 'collection' },
  ];
  return new Response(JSON.stringify(body), {
    headers: { 'content-type': COLLECTION_TYPE, 'rest-framework-version': String(frameworkVersion(c)) },
  });
}
