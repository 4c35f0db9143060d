import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AuditTrail } from '../audit/index.js';
import { DEFAULT_TENANT, type ForgeContext } from '../forge/context.js';
import { ingest } from '../forge/ingest.js';
import type { FileRecord } from '../model/index.js';
import { createFolderWatcher, type FolderWatcher, type WatchScanResult } from './folder-watcher.js';

/** One watched folder of a forge (`ForgeOptions.watch`). */
export interface WatchFolderOptions {
  /** The folder to watch; must exist. Files are taken out of it once ingested. */
  folder: string;
  /** Watch subfolders too. @default false */
  recursive?: boolean;
  /** How long a file must stay unchanged before it is taken. @default 2000 */
  stabilityMs?: number;
  /** Tenant the files go to. @default 'default' */
  tenant?: string;
  /** Interval of the periodic scan behind native events. @default 2000 */
  pollIntervalMs?: number;
  /** Glob patterns never ingested. @default DEFAULT_WATCH_IGNORE */
  ignore?: readonly string[];
  /** Move ingested files here instead of deleting them. @default delete */
  processedFolder?: string;
}

/** The watched folders of a forge (`forge.watch`). */
export interface ForgeWatch {
  /** The watched folders (absolute), in the order configured. */
  readonly folders: readonly string[];
  /** The tenant each watched folder feeds, in the same order as `folders`. */
  readonly tenants: readonly string[];
  /**
   * Scans the watched folders now (only those feeding `tenant` when it is given); resolves
   * with what each scan did, in order (`[]` when none is watched).
   */
  rescan(options?: { tenant?: string }): Promise<WatchScanResult[]>;
}

/**
 * Builds a folder watcher per configured folder, ingesting each claimed file into `ctx` under
 * its claim id with `source: 'watch'` and `metadata.watch.path` (its path relative to the
 * watched folder), and records each stored file in `audit` (`file.upload` by the `system`
 * actor: every door is audited). Not started: the forge starts them once start-up is done.
 */
export function createForgeWatchers(
  ctx: ForgeContext,
  config: WatchFolderOptions | readonly WatchFolderOptions[] | undefined,
  audit?: AuditTrail,
): FolderWatcher[] {
  return watchList(config).map((watch) => {
    const tenant = watch.tenant ?? DEFAULT_TENANT;
    // Recorded on each record so a workflow's `on: { watch }` trigger knows the folder.
    const watcherFolder = resolve(watch.folder);
    return createFolderWatcher({
      folder: watch.folder,
      recursive: watch.recursive ?? false,
      ...(watch.stabilityMs === undefined ? {} : { stabilityMs: watch.stabilityMs }),
      ...(watch.pollIntervalMs === undefined ? {} : { pollIntervalMs: watch.pollIntervalMs }),
      ...(watch.ignore ? { ignore: watch.ignore } : {}),
      ...(watch.processedFolder ? { processedFolder: watch.processedFolder } : {}),
      now: ctx.options.now,
      locks: ctx.locks,
      logger: ctx.options.logger,
      isIngested: async (id) => (await ctx.catalog.files.get(tenant, id)) !== null,
      async ingest(file, signal) {
        const handle = await open(file.path, 'r');
        const stream = handle.createReadStream({ autoClose: false });
        // ingest consumes the stream and sees its errors; this keeps one raised after it gave up
        // on the stream (or before it started) from crashing the process.
        stream.on('error', () => {});
        let record: FileRecord;
        try {
          record = await ingest(ctx, stream, {
            name: file.name,
            tenant,
            id: file.claimId,
            source: 'watch',
            metadata: { watch: { folder: watcherFolder, path: file.relativePath } },
            signal,
          });
        } finally {
          stream.destroy();
          await handle.close();
        }
        // Stored: an audit trail that cannot be written is logged, never a reason to store it again.
        await audit
          ?.record({
            tenant,
            actor: { type: 'system', id: null },
            action: 'file.upload',
            target: { type: 'file', id: record.id, name: record.name },
            details: { size: record.size, mime: record.mime, source: 'watch', folder: watcherFolder },
          })
          .catch((error: unknown) =>
            ctx.options.logger.error({ err: error, fileId: record.id }, 'could not audit a watched file'),
          );
      },
    });
  });
}

/** The configured watch folders as a list. */
function watchList(
  config: WatchFolderOptions | readonly WatchFolderOptions[] | undefined,
): readonly WatchFolderOptions[] {
  return config === undefined ? [] : Array.isArray(config) ? config : [config as WatchFolderOptions];
}

/** The tenant each configured watch folder feeds, in order. */
export function watchedTenants(
  config: WatchFolderOptions | readonly WatchFolderOptions[] | undefined,
): string[] {
  return watchList(config).map((watch) => watch.tenant ?? DEFAULT_TENANT);
}

/** `forge.watch` over the forge's watchers (`tenants[i]` is the tenant `watchers[i]` feeds). */
export function forgeWatch(watchers: readonly FolderWatcher[], tenants: readonly string[]): ForgeWatch {
  return {
    folders: watchers.map((w) => w.folder),
    tenants,
    async rescan(options = {}) {
      const results: WatchScanResult[] = [];
      for (const [i, watcher] of watchers.entries()) {
        if (options.tenant !== undefined && tenants[i] !== options.tenant) continue;
        results.push(await watcher.rescan());
      }
      return results;
    },
  };
}
