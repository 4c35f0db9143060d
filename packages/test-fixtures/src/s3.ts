/**
 * A private S3-compatible emulator for tests (the `s3rver` package): started on 127.0.0.1 on a
 * free port with its own temp directory and bucket, stopped and removed by `close()`. Never a
 * mock: the AWS SDK talks HTTP to it exactly as to S3 (path-style, credentials `S3RVER`).
 *
 * s3rver 3.7 answers AbortMultipartUpload with 405 and ListMultipartUploads with 501: the
 * emulator adds AbortMultipartUpload as S3 specifies it (204, the parts removed; `NoSuchUpload`
 * 404 for an unknown id) so a sweeper can be tested, and keeps ListMultipartUploads missing,
 * as some S3-compatible services do, unless `listMultipartUploads` asks for it. {@link S3Emulator.pendingUploads} shows the multipart
 * uploads still open (started, neither completed nor aborted).
 *
 * @module
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options for {@link startS3Emulator}. */
export interface S3EmulatorOptions {
  /** Bucket created at start (3-63 chars). @default 'fileforge-test' */
  bucket?: string;
  /**
   * Answer ListMultipartUploads (as AWS does) instead of s3rver's 501, to test code that uses
   * it. @default false
   */
  listMultipartUploads?: boolean;
}

/** A running emulator and what an S3 client needs to reach it. */
export interface S3Emulator {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The environment a FileForge process needs to store blobs in the emulator. */
  env: Record<string, string>;
  /** Directory the emulator stores into. */
  directory: string;
  /** Ids of multipart uploads started and neither completed nor aborted. */
  pendingUploads(): Promise<string[]>;
  /** Stops the emulator and removes its directory. */
  close(): Promise<void>;
}

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  type: string;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  middleware: Middleware[];
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: Server;
}

/** Where s3rver keeps the parts of bucket `bucket`'s open multipart uploads. */
const uploadsDir = (directory: string, bucket: string) => join(directory, bucket, '._S3rver_uploads');

function noSuchUpload(ctx: KoaContext, id: string): void {
  ctx.status = 404;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${id.replace(/[^a-zA-Z0-9]/g, '')}</UploadId></Error>`;
}

const xml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** ListMultipartUploads (`GET /<bucket>?uploads`, with `prefix`), from s3rver's upload folders. */
function listUploads(directory: string): Middleware {
  return async (ctx, next) => {
    const bucket = ctx.path.split('/')[1] ?? '';
    if (
      ctx.method !== 'GET' ||
      ctx.query.uploads === undefined ||
      ctx.path.split('/').filter(Boolean).length !== 1
    )
      return next();
    const prefix = typeof ctx.query.prefix === 'string' ? ctx.query.prefix : '';
    const root = uploadsDir(directory, bucket);
    const uploads: string[] = [];
    for (const id of await readdir(root).catch(() => [] as string[])) {
      const key = await readFile(join(root, id, 'key'), 'utf8').catch(() => undefined);
      const started = await stat(join(root, id, 'key')).catch(() => undefined);
      if (key === undefined || !started || !key.startsWith(prefix)) continue;
      uploads.push(
        `<Upload><Key>${xml(key)}</Key><UploadId>${xml(id)}</UploadId><Initiated>${started.mtime.toISOString()}</Initiated></Upload>`,
      );
    }
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xml(bucket)}</Bucket><Prefix>${xml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`;
  };
}

/**
 * Starts an emulator; call `close()` in `afterAll`.
 *
 * @example
 * ```ts
 * const s3 = await startS3Emulator();
 * const store = createS3BlobStore({ bucket: s3.bucket, endpoint: s3.endpoint, credentials: s3.credentials, … });
 * ```
 */
export async function startS3Emulator(options: S3EmulatorOptions = {}): Promise<S3Emulator> {
  // Test processes build their own SDK clients too: keep the SDK's Node 20 notice out of the output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const bucket = options.bucket ?? 'fileforge-test';
  const directory = await mkdtemp(join(tmpdir(), 'fileforge-s3rver-'));
  const { default: S3rver } = (await import('s3rver' as string)) as {
    default: new (options: Record<string, unknown>) => S3rverInstance;
  };
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  // Koa composes its middleware when the server starts: this one runs before s3rver's router.
  server.middleware.unshift(async (ctx, next) => {
    const id = ctx.query.uploadId;
    if (ctx.method !== 'DELETE' || typeof id !== 'string') return next();
    const dir = join(uploadsDir(directory, ctx.path.split('/')[1] ?? ''), id.replace(/[^a-zA-Z0-9]/g, ''));
    if (!(await stat(dir).catch(() => undefined))) return noSuchUpload(ctx, id);
    await rm(dir, { recursive: true, force: true });
    ctx.status = 204;
    ctx.body = null;
  });
  if (options.listMultipartUploads) server.middleware.unshift(listUploads(directory));
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  server.httpServer?.on('error', () => {});
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    credentials,
    directory,
    env: {
      AWS_BUCKET_NAME: bucket,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_ENDPOINT: endpoint,
    },
    pendingUploads: async () => readdir(uploadsDir(directory, bucket)).catch(() => []),
    async close() {
      // Keep-alive sockets of SDK clients would hold `close()` open until they time out.
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
