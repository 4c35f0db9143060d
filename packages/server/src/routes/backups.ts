import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DEFAULT_TENANT, ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { principalOf } from '../auth/ownership.js';
import { backupDetails, backupTarget } from '../backup/audit.js';
import type { ManifestKey } from '../backup/manifest-signature.js';
import { listBackups } from '../backup/names.js';
import { createBackup } from '../backup/snapshot.js';
import { notFound } from '../errors/respond.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { storedBody } from '../http/stored-body.js';
import { audit } from '../middleware/audit.js';
import type { ServerEnv } from '../server-env.js';

/** What the backup routes need: where archives go and how their manifests are signed (as `fileforge backup`). */
export interface BackupRouteOptions {
  /** `DATABASE_URL` of the catalog. */
  databaseUrl: string;
  /** `BACKUP_DIR` (default `DATA_DIR/backups`). */
  outputDir: string;
  signingKey: ManifestKey;
}

const BackupSchema = z
  .object({
    name: z.string().openapi({ example: 'fileforge-backup-20261129T020000123Z-a1b2c3.tar.gz' }),
    bytes: z.number().int(),
    createdAt: z.string(),
    restoreCommand: z.string().openapi({
      description: 'What restores it, on the server machine with the server stopped',
      example: 'fileforge restore /var/lib/fileforge/backups/fileforge-backup-….tar.gz',
    }),
    links: z.object({ download: z.string() }),
  })
  .openapi('Backup');

const BackupListSchema = z
  .object({ dir: z.string(), items: z.array(BackupSchema).openapi({ description: 'Newest first' }) })
  .openapi('BackupList');

const BackupCreatedSchema = BackupSchema.extend({
  objects: z.number().int(),
  missing: z
    .array(z.string())
    .openapi({ description: 'Blob keys the catalog references that were not in the store' }),
  damaged: z
    .array(z.string())
    .openapi({ description: 'Blob keys whose bytes no longer match (run `fileforge fsck`)' }),
  unreadable: z.array(z.string()).openapi({
    description:
      'Blob keys the store could not read (an encrypted blob failing authentication, a read error): not in the backup, missing after a restore',
  }),
}).openapi('BackupCreated');

const NameParam = z.object({
  name: z
    .string()
    .max(120)
    .openapi({
      param: { name: 'name', in: 'path' },
      example: 'fileforge-backup-20261129T020000123Z-a1b2c3.tar.gz',
    }),
});

/** An archive covers every tenant: only the installation's own admins (tenant `default`) manage them. */
function assertInstallationAdmin(c: Context<ServerEnv>): void {
  if (principalOf(c).tenant !== DEFAULT_TENANT) {
    throw new FileForgeError(
      ErrorCode.FORBIDDEN,
      `Backups hold every tenant's files: only admins of the "${DEFAULT_TENANT}" tenant manage them`,
    );
  }
}

const quoteArg = (path: string) => (/^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`);

async function describe(name: string, path: string, createdAt: Date) {
  const { size } = await stat(path);
  return {
    name,
    bytes: size,
    createdAt: createdAt.toISOString(),
    restoreCommand: `fileforge restore ${quoteArg(path)}`,
    links: { download: `/api/v1/backups/${encodeURIComponent(name)}` },
  };
}

/**
 * The admin screen's backups: list the archives in the backup directory, make one now
 * (audited `backup.create`, like `fileforge backup`), download one, and the command that
 * restores it. Without backup settings (an SDK-built server) the routes answer 404.
 */
export function registerBackupRoutes(
  app: ApiApp,
  forge: Forge,
  options: BackupRouteOptions | undefined,
): void {
  const configured = (): BackupRouteOptions => {
    if (!options) throw notFound('Backups (not configured on this server)');
    return options;
  };
  let running: Promise<unknown> | undefined;

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/backups',
      tags: ['Admin'],
      summary: 'List backup archives, newest first, with the command that restores each',
      errors: [404],
      responses: { 200: jsonResponse(BackupListSchema, 'The archives') },
    }),
    async (c) => {
      assertInstallationAdmin(c);
      const settings = configured();
      const files = (await listBackups(settings.outputDir)).reverse();
      const items = [];
      for (const file of files) {
        // An archive pruned meanwhile is simply not listed.
        const item = await describe(file.name, file.path, file.createdAt).catch(() => null);
        if (item) items.push(item);
      }
      return c.json({ dir: settings.outputDir, items }, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/backups',
      tags: ['Admin'],
      summary: 'Make a backup now (answers when the archive is complete)',
      description:
        'Writes one archive like `fileforge backup` (the catalog, every stored file and derivative, a signed manifest), audited as `backup.create`. One at a time: 409 `CONFLICT` while another runs.',
      errors: [404, 409],
      responses: { 201: jsonResponse(BackupCreatedSchema, 'The archive written') },
    }),
    async (c) => {
      assertInstallationAdmin(c);
      const settings = configured();
      if (running) throw new FileForgeError(ErrorCode.CONFLICT, 'A backup is already being written');
      const work = createBackup({
        databaseUrl: settings.databaseUrl,
        blobs: forge.blobs,
        holdDeletes: () => forge.holdBlobDeletes(),
        outputDir: settings.outputDir,
        signingKey: settings.signingKey,
      });
      running = work;
      const result = await work.finally(() => {
        running = undefined;
      });
      await audit(
        c,
        'backup.create',
        backupTarget(result.path),
        backupDetails(result, settings.signingKey.id),
      );
      const name = result.path.slice(result.path.lastIndexOf('/') + 1);
      const listed = (await listBackups(settings.outputDir)).find((b) => b.name === name);
      const item = await describe(name, result.path, listed?.createdAt ?? new Date());
      c.header('Location', item.links.download);
      return c.json(
        {
          ...item,
          objects: result.objects,
          missing: result.missing,
          damaged: result.damaged,
          unreadable: result.unreadable,
        },
        201,
      );
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/backups/{name}',
      tags: ['Admin'],
      summary: 'Download a backup archive (audited as `backup.download`)',
      request: { params: NameParam },
      errors: [404],
      responses: {
        200: {
          description: 'The archive',
          content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } },
        },
      },
    }),
    async (c) => {
      assertInstallationAdmin(c);
      const settings = configured();
      const { name } = c.req.valid('param');
      // Only names the directory listing knows: no path ever comes from the request.
      const file = (await listBackups(settings.outputDir)).find((b) => b.name === name);
      if (!file) throw notFound('Backup');
      const { size } = await stat(file.path).catch(() => {
        throw notFound('Backup');
      });
      // Every tenant's files leave with it: recorded as a file download is.
      await audit(c, 'backup.download', backupTarget(file.path), { bytes: size });
      const logger = c.get('audit')?.logger;
      // Failing mid-way (the archive cut short or replaced meanwhile, a read error), it is logged
      // once and the connection cut: never a short body that looks complete (see storedBody).
      const body = storedBody(createReadStream(file.path), {
        length: size,
        what: 'The backup archive',
        onFailure: (err, sent) =>
          logger?.error(
            { err, requestId: c.get('requestId'), backup: file.name, length: size, sent },
            'backup download cut off: the archive failed',
          ),
        ...(c.env?.outgoing ? { cut: () => c.env.outgoing.destroy() } : {}),
      });
      return c.body(body, 200, {
        'Content-Type': 'application/gzip',
        'Content-Length': String(size),
        'Content-Disposition': `attachment; filename="${file.name}"`,
      });
    },
  );
}
