/**
 * The SharePoint drive part of the Teams fake (spec §5 "Upload a file to a channel"): small uploads
 * `PUT /drives/{drive}/items/{parent}:/{name}:/content`, resumable upload sessions
 * (`createUploadSession` → an uploadUrl on the fake that takes `Content-Range` chunks without an
 * Authorization header, answers its status with `nextExpectedRanges` on GET, refuses a fragment
 * that does not start at the next expected byte with 416, and can lose a fragment's answer after
 * storing it), item reads and `@odata.nextLink`-paged children.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, Hono } from 'hono';
import type { FakeService } from './fake-service.js';
import { type DriveItem, graphError, graphPage, type StoredDriveItem } from './teams-wire.js';

/** 320 KiB — every chunk but the last must be a multiple of it [doc]. */
export const UPLOAD_FRAGMENT_UNIT = 327_680;
/** Each chunk must stay under 60 MiB [doc]. */
export const UPLOAD_MAX_CHUNK = 60 * 1024 * 1024;

/** A resumable upload in progress. */
export interface UploadSession {
  id: string;
  driveId: string;
  parentId: string;
  name: string;
  conflictBehavior: ConflictBehavior;
  /** Total size declared by the first chunk's Content-Range. */
  total?: number;
  chunks: Buffer[];
  /** The next byte the session expects. */
  next: number;
  expiresAt: number;
  /** The pre-authentication the upload URL carries (`tempauth`): required on every request to it. */
  tempauth: string;
}

export type ConflictBehavior = 'rename' | 'fail' | 'replace';

/** What the drive routes need from the Teams fake. */
export interface DriveRoutesContext {
  service: FakeService;
  items: Map<string, StoredDriveItem>;
  sessions: Map<string, UploadSession>;
  now: () => number;
  smallUploadLimitBytes: number;
  rejectAuthorizationOnUpload: boolean;
  /** Origin of upload URLs (the real ones live on SharePoint, not on the Graph host). */
  uploadOrigin: () => string;
  /** Returns a Graph 401 when the request has no live token. */
  authorize: (c: Context) => Response | null;
  /**
   * Upload-session fragments still to "lose the answer of": stored, then the connection is cut
   * before the response (what a client sees when a proxy or the network drops it).
   */
  /** Answers to drop (the connection reset after the chunk is taken): the last chunk's only when `final`. */
  lostResponses: { remaining: number; final?: boolean };
}

let counter = 0;
/** A driveItem id in Graph's style (`01` + 32 upper-case characters). */
export function newItemId(): string {
  counter += 1;
  return `01FF${String(counter).padStart(6, '0')}${randomBytes(11).toString('hex').toUpperCase()}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Stores a file under `parentId`, applying the conflict behaviour; 409 body when it must fail. */
export function putFile(
  ctx: DriveRoutesContext,
  parent: StoredDriveItem,
  name: string,
  content: Buffer,
  mimeType: string,
  behavior: ConflictBehavior,
): { status: 200 | 201 | 409; item?: DriveItem } {
  const siblings = [...ctx.items.values()].filter((s) => s.item.parentReference.id === parent.item.id);
  const existing = siblings.find((s) => s.item.name.toLowerCase() === name.toLowerCase());
  if (existing && behavior === 'fail') return { status: 409 };
  const now = iso(ctx.now());
  if (existing && behavior === 'replace') {
    const version = Number(existing.item.eTag.split(',')[1]?.replace('"', '') ?? 1) + 1;
    const guid = existing.item.eTag.slice(2, 38);
    Object.assign(existing.item, {
      size: content.length,
      eTag: `"{${guid}},${version}"`,
      cTag: `"c:{${guid}},${version}"`,
      lastModifiedDateTime: now,
      file: { mimeType },
    });
    existing.content = content;
    return { status: 200, item: existing.item };
  }
  let finalName = name;
  for (let n = 1; siblings.some((s) => s.item.name.toLowerCase() === finalName.toLowerCase()); n += 1) {
    const dot = name.lastIndexOf('.');
    finalName = dot > 0 ? `${name.slice(0, dot)} ${n}${name.slice(dot)}` : `${name} ${n}`;
  }
  const guid = randomUUID().toUpperCase();
  const item: DriveItem = {
    id: newItemId(),
    name: finalName,
    webUrl: `${parent.item.webUrl}/${encodeURIComponent(finalName)}`,
    eTag: `"{${guid}},1"`,
    cTag: `"c:{${guid}},1"`,
    size: content.length,
    createdDateTime: now,
    lastModifiedDateTime: now,
    parentReference: {
      driveId: parent.item.parentReference.driveId,
      driveType: 'documentLibrary',
      id: parent.item.id,
    },
    file: { mimeType },
  };
  ctx.items.set(item.id, { item, content });
  if (parent.item.folder) parent.item.folder.childCount += 1;
  return { status: 201, item };
}

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Graph derives `file.mimeType` from the name's extension, not from the request's Content-Type. */
export function mimeTypeOf(name: string): string {
  return MIME_BY_EXTENSION[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

function conflictBehaviorOf(value: unknown): ConflictBehavior | undefined {
  return value === 'rename' || value === 'fail' || value === 'replace' ? value : undefined;
}

function findParent(ctx: DriveRoutesContext, driveId: string, parentId: string): StoredDriveItem | undefined {
  const found =
    parentId === 'root'
      ? [...ctx.items.values()].find(
          (s) => s.item.parentReference.driveId === driveId && !s.item.parentReference.id,
        )
      : ctx.items.get(parentId);
  return found && found.item.parentReference.driveId === driveId && found.item.folder ? found : undefined;
}

const ADDRESSED = /^([^/:]+):\/(.+):\/(content|createUploadSession)$/;

/** Mounts `/v1.0/drives/…` and the upload-session URLs on the fake's app. */
export function mountDriveRoutes(app: Hono, ctx: DriveRoutesContext): void {
  app.all('/v1.0/drives/:driveId/items/*', async (c) => {
    const denied = ctx.authorize(c);
    if (denied) return denied;
    const driveId = c.req.param('driveId');
    const rest = new URL(c.req.url).pathname.split('/items/').slice(1).join('/items/');
    const addressed = ADDRESSED.exec(rest);
    if (addressed) {
      const [, parentId, rawName, action] = addressed as unknown as [string, string, string, string];
      const parent = findParent(ctx, driveId, decodeURIComponent(parentId));
      if (!parent) return graphError(c, 404, 'itemNotFound', 'The resource could not be found.');
      const name = decodeURIComponent(rawName);
      if (action === 'content' && c.req.method === 'PUT') return smallUpload(c, ctx, parent, name);
      if (action === 'createUploadSession' && c.req.method === 'POST')
        return createSession(c, ctx, parent, name);
      return graphError(c, 405, 'BadRequest', `Unsupported method ${c.req.method} on ${action}.`);
    }
    const byPath = /^([^/:]+):\/(.+)$/.exec(rest);
    if (byPath && c.req.method === 'GET') {
      // Path-based addressing: `items/{parent-id}:/{name}` is the child of that name.
      const parent = findParent(ctx, driveId, decodeURIComponent(byPath[1]!));
      const name = decodeURIComponent(byPath[2]!).toLowerCase();
      const child = parent
        ? [...ctx.items.values()].find(
            (s) => s.item.parentReference.id === parent.item.id && s.item.name.toLowerCase() === name,
          )
        : undefined;
      if (!child) return graphError(c, 404, 'itemNotFound', 'The resource could not be found.');
      return c.json(child.item);
    }
    const [itemId = '', sub] = rest.split('/');
    const stored = ctx.items.get(decodeURIComponent(itemId));
    if (!stored || stored.item.parentReference.driveId !== driveId)
      return graphError(c, 404, 'itemNotFound', 'The resource could not be found.');
    if (c.req.method !== 'GET') return graphError(c, 405, 'BadRequest', 'Method not allowed.');
    if (sub === 'children') {
      const children = [...ctx.items.values()]
        .filter((s) => s.item.parentReference.id === stored.item.id)
        .map((s) => s.item);
      return graphPage(c, children, 200);
    }
    if (sub === 'content') return new Response(stored.content ?? Buffer.alloc(0), { status: 200 });
    return c.json(stored.item);
  });

  app.all('/_api/v2.0/uploadSession/:sessionId', async (c) => uploadSessionRoute(c, ctx));
}

async function smallUpload(c: Context, ctx: DriveRoutesContext, parent: StoredDriveItem, name: string) {
  const content = Buffer.from(await c.req.arrayBuffer());
  if (content.length > ctx.smallUploadLimitBytes)
    return graphError(
      c,
      413,
      'requestTooLarge',
      `Simple upload is limited to ${ctx.smallUploadLimitBytes} bytes; use createUploadSession.`,
    );
  const behavior = conflictBehaviorOf(c.req.query('@microsoft.graph.conflictBehavior')) ?? 'replace';
  const result = putFile(ctx, parent, name, content, mimeTypeOf(name), behavior);
  if (result.status === 409)
    return graphError(c, 409, 'nameAlreadyExists', 'The specified item name already exists.');
  return c.json(result.item, result.status);
}

async function createSession(c: Context, ctx: DriveRoutesContext, parent: StoredDriveItem, name: string) {
  const body = (await c.req.json().catch(() => ({}))) as { item?: Record<string, unknown> };
  const requested = body.item?.['@microsoft.graph.conflictBehavior'];
  const behavior = conflictBehaviorOf(requested ?? 'fail');
  if (!behavior)
    return graphError(c, 400, 'invalidRequest', `Invalid conflictBehavior '${String(requested)}'.`);
  const session: UploadSession = {
    id: randomBytes(16).toString('hex'),
    driveId: parent.item.parentReference.driveId,
    parentId: parent.item.id,
    name: typeof body.item?.name === 'string' ? body.item.name : name,
    conflictBehavior: behavior,
    chunks: [],
    next: 0,
    expiresAt: ctx.now() + 24 * 3600_000,
    tempauth: randomBytes(24).toString('base64url'),
  };
  ctx.sessions.set(session.id, session);
  const { tempauth } = session;
  return c.json({
    '@odata.context': `${new URL(c.req.url).origin}/v1.0/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: `${ctx.uploadOrigin()}/_api/v2.0/uploadSession/${session.id}?guid='${randomUUID()}'&tempauth=${tempauth}`,
    expirationDateTime: iso(session.expiresAt),
    nextExpectedRanges: ['0-'],
  });
}

function sessionStatus(session: UploadSession) {
  return { expirationDateTime: iso(session.expiresAt), nextExpectedRanges: [`${session.next}-`] };
}

async function uploadSessionRoute(c: Context, ctx: DriveRoutesContext): Promise<Response> {
  const session = ctx.sessions.get(c.req.param('sessionId') ?? '');
  if (!session || session.expiresAt <= ctx.now()) {
    return graphError(c, 404, 'itemNotFound', 'The upload session was not found or has expired.');
  }
  // The URL is the credential: one whose tempauth was dropped or altered is not authenticated.
  if (c.req.query('tempauth') !== session.tempauth) {
    return graphError(
      c,
      401,
      'unauthenticated',
      'The upload URL is missing its tempauth or it does not match.',
    );
  }
  if (c.req.method === 'DELETE') {
    ctx.sessions.delete(session.id);
    return new Response(null, { status: 204 });
  }
  if (c.req.method === 'GET') return c.json(sessionStatus(session));
  if (c.req.method !== 'PUT') return graphError(c, 405, 'BadRequest', 'Method not allowed.');
  // The upload URL carries its own tempauth; an Authorization header is refused [doc: "may result in 401"].
  if (ctx.rejectAuthorizationOnUpload && c.req.header('authorization')) {
    return graphError(
      c,
      401,
      'unauthenticated',
      'Do not send an Authorization header to an upload URL: it is pre-authenticated.',
    );
  }
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(c.req.header('content-range') ?? '');
  if (!range) return graphError(c, 400, 'invalidRequest', 'Missing or malformed Content-Range header.');
  const [start, end, total] = range.slice(1).map(Number) as [number, number, number];
  const chunk = Buffer.from(await c.req.arrayBuffer());
  if (end < start || end >= total || chunk.length !== end - start + 1) {
    return graphError(c, 400, 'invalidRequest', 'The Content-Range does not match the body length.');
  }
  if (session.total !== undefined && session.total !== total) {
    return graphError(c, 400, 'invalidRequest', 'The total size changed between fragments.');
  }
  if (start !== session.next) {
    return graphError(c, 416, 'invalidRange', `Expected a fragment starting at byte ${session.next}.`, {});
  }
  if (chunk.length >= UPLOAD_MAX_CHUNK) {
    return graphError(c, 413, 'requestTooLarge', 'Each fragment must be smaller than 60 MiB.');
  }
  const last = end === total - 1;
  if (!last && chunk.length % UPLOAD_FRAGMENT_UNIT !== 0) {
    return graphError(
      c,
      400,
      'invalidRequest',
      'Fragment sizes must be a multiple of 320 KiB (327,680 bytes).',
    );
  }
  session.total = total;
  session.chunks.push(chunk);
  session.next = end + 1;
  if (!last && ctx.lostResponses.remaining > 0 && !ctx.lostResponses.final) {
    ctx.lostResponses.remaining -= 1;
    (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.destroy();
    return new Response(null, { status: 202 });
  }
  if (!last) return c.json(sessionStatus(session), 202);
  ctx.sessions.delete(session.id);
  const parent = ctx.items.get(session.parentId)!;
  const content = Buffer.concat(session.chunks);
  const result = putFile(
    ctx,
    parent,
    session.name,
    content,
    mimeTypeOf(session.name),
    session.conflictBehavior,
  );
  if (result.status === 409)
    return graphError(c, 409, 'nameAlreadyExists', 'The specified item name already exists.');
  if (ctx.lostResponses.final && ctx.lostResponses.remaining > 0) {
    // The file is made and the session gone; only the answer is lost.
    ctx.lostResponses.remaining -= 1;
    (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.destroy();
    return new Response(null, { status: 201 });
  }
  return c.json(result.item, result.status);
}
