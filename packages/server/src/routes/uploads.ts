import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import type { ServerEnv } from '../server-env.js';
import { type ResumableUploads, UPLOADS_PATH } from '../tus/resumable-uploads.js';

const TUS = { 'Tus-Resumable': { description: 'Always `1.0.0`', schema: { type: 'string' as const } } };
const header = (description: string, type: 'string' | 'integer' = 'string') => ({
  description,
  schema: { type },
});

const tusRequestHeaders = (extra: Record<string, { required?: boolean; description: string }>) =>
  z.object({
    'tus-resumable': z.literal('1.0.0').openapi({ description: 'tus protocol version; anything else → 412' }),
    ...Object.fromEntries(
      Object.entries(extra).map(([name, { required, description }]) => [
        name,
        (required ? z.string() : z.string().optional()).openapi({ description }),
      ]),
    ),
  });

const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '6f1c2e0b9d8a47a5b3c4d5e6f7a8b9c0' }),
});

const UploadStatusSchema = z
  .object({
    id: z.string(),
    offset: z.number().int().openapi({ description: 'Bytes received so far' }),
    length: z.number().int().openapi({ description: 'Declared Upload-Length' }),
    fileId: z.string().nullable().openapi({ description: 'The file the upload became, once complete' }),
    expiresAt: z
      .string()
      .nullable()
      .openapi({ description: 'When an unfinished upload expires (UPLOAD_EXPIRY_HOURS)' }),
  })
  .openapi('UploadStatus');

const CHECKSUM =
  "Optional `sha256 <base64 digest>` of this request's body (checksum extension): a mismatch → 460 and nothing of the chunk is kept";

/**
 * Registers the resumable (tus 1.0) upload endpoint: `OPTIONS|POST /api/v1/uploads`,
 * `HEAD|PATCH|DELETE /api/v1/uploads/{id}` (tus, documented by headers and statuses) and
 * `GET /api/v1/uploads/{id}` (JSON status).
 */
export function registerUploadsRoutes(app: ApiApp, uploads: ResumableUploads): void {
  const tus = (route: ReturnType<typeof secureRoute>) => {
    const { middleware, ...doc } = route as typeof route & { middleware: Parameters<ApiApp['on']>[2] };
    app.openAPIRegistry.registerPath(doc as Parameters<ApiApp['openAPIRegistry']['registerPath']>[0]);
    const path = route.path.replace(/\{(\w+)\}/g, ':$1');
    app.on(route.method.toUpperCase(), path, middleware, (c) => uploads.handle(c));
  };

  tus(
    secureRoute({
      method: 'options',
      path: UPLOADS_PATH,
      tags: ['Uploads'],
      summary: 'tus discovery: versions, extensions, maximum size',
      responses: {
        204: {
          description: 'What this server supports',
          headers: {
            'Tus-Version': header('`1.0.0`'),
            'Tus-Extension': header('`creation,creation-with-upload,termination,expiration,checksum`'),
            'Tus-Max-Size': header('MAX_FILE_SIZE', 'integer'),
            'Tus-Checksum-Algorithm': header('`sha256`'),
          },
        },
      },
    }),
  );

  tus(
    secureRoute({
      method: 'post',
      path: UPLOADS_PATH,
      tags: ['Uploads'],
      summary: 'Create a resumable upload (tus creation, creation-with-upload)',
      description:
        'Declares `Upload-Length` (required; deferred length is not supported) and optional `Upload-Metadata` (`filename`, `filetype`, base64). An `Upload-Length` over MAX_FILE_SIZE is refused with 413 `FILE_TOO_LARGE` before anything is stored. A body with `Content-Type: application/offset+octet-stream` is the first chunk. Unfinished uploads expire after UPLOAD_EXPIRY_HOURS.',
      request: {
        headers: tusRequestHeaders({
          'upload-length': { required: true, description: 'Total size in bytes' },
          'upload-metadata': {
            description: 'Comma-separated `key base64(value)` pairs: `filename`, `filetype`',
          },
          'upload-checksum': { description: CHECKSUM },
        }),
      },
      errors: [400, 412, 413, 460, 503, 507],
      responses: {
        201: {
          description:
            'Created; `Location` is the upload URL. If the body completed the upload, `FileForge-File-Id` names the file.',
          headers: {
            ...TUS,
            Location: header('`/api/v1/uploads/{id}`'),
            'Upload-Offset': header('Bytes stored (with a body)', 'integer'),
            'Upload-Expires': header('RFC 7231 date the unfinished upload expires'),
            'FileForge-File-Id': header('The file the upload became, when this request completed it'),
          },
        },
      },
    }),
  );

  tus(
    secureRoute({
      method: 'head',
      path: `${UPLOADS_PATH}/{id}`,
      tags: ['Uploads'],
      summary: 'Where a resumable upload stands (resume from Upload-Offset)',
      request: { params: IdParam, headers: tusRequestHeaders({}) },
      errors: [404, 410, 412, 423],
      responses: {
        200: {
          description: "The upload (another tenant's id is 404)",
          headers: {
            ...TUS,
            'Upload-Offset': header('Bytes received', 'integer'),
            'Upload-Length': header('Declared length', 'integer'),
            'Upload-Metadata': header('As sent at creation'),
            'Cache-Control': header('`no-store`'),
            'FileForge-File-Id': header('Once complete: the file it became'),
          },
        },
      },
    }),
  );

  tus(
    secureRoute({
      method: 'patch',
      path: `${UPLOADS_PATH}/{id}`,
      tags: ['Uploads'],
      summary: 'Append a chunk to a resumable upload',
      description:
        'Body `application/offset+octet-stream` starting at `Upload-Offset`. A wrong offset → 409 `OFFSET_MISMATCH`; another request writing to the same upload → 423 `UPLOAD_LOCKED` (retry); a checksum mismatch → 460 `CHECKSUM_MISMATCH` with the offset unchanged; expired → 410. When the last byte lands the upload becomes a file (type detection, size cap, dedupe, record, events, processing, as `POST /api/v1/files`) and the answer carries `FileForge-File-Id`.',
      request: {
        params: IdParam,
        headers: tusRequestHeaders({
          'upload-offset': { required: true, description: 'Where this chunk starts' },
          'content-type': { required: true, description: '`application/offset+octet-stream`' },
          'upload-checksum': { description: CHECKSUM },
        }),
      },
      errors: [400, 404, 409, 410, 412, 413, 415, 423, 460, 503, 507],
      responses: {
        204: {
          description: 'Stored',
          headers: {
            ...TUS,
            'Upload-Offset': header('The new offset', 'integer'),
            'Upload-Expires': header('While unfinished'),
            'FileForge-File-Id': header('On the request that completed the upload'),
          },
        },
      },
    }),
  );

  tus(
    secureRoute({
      method: 'delete',
      path: `${UPLOADS_PATH}/{id}`,
      tags: ['Uploads'],
      summary: "Terminate a resumable upload (its staged bytes are removed; a completed upload's file stays)",
      request: { params: IdParam, headers: tusRequestHeaders({}) },
      errors: [404, 412, 423],
      responses: { 204: { description: 'Terminated', headers: TUS } },
    }),
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: `${UPLOADS_PATH}/{id}`,
      tags: ['Uploads'],
      summary: 'Status of a resumable upload (JSON)',
      request: { params: IdParam },
      errors: [404],
      responses: { 200: jsonResponse(UploadStatusSchema, 'The upload') },
    }),
    // Hono routes HEAD to the GET route: a tus HEAD arrives here.
    (async (c: Context<ServerEnv>) =>
      c.req.method === 'HEAD'
        ? uploads.handle(c)
        : c.json(await uploads.status(c, c.req.param('id') ?? ''), 200)) as never,
  );
}
