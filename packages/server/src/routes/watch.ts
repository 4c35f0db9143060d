import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';

const RescanSchema = z
  .object({
    folders: z.number().int().openapi({ description: 'Watched folders scanned' }),
    seen: z.number().int().openapi({ description: 'Files found (not ignored)' }),
    settling: z.number().int().openapi({ description: 'Files still being written, taken by a later scan' }),
    ingested: z.number().int(),
    rejected: z.number().int().openapi({ description: 'Files refused, set aside in the claim area' }),
    deferred: z
      .number()
      .int()
      .openapi({ description: 'Claims kept for a later scan after a transient failure' }),
  })
  .openapi('WatchRescan');

/**
 * `POST /api/v1/watch/rescan` (admins): scans the watched folders now instead of waiting for
 * the next event or poll. 404 `WATCH_NOT_CONFIGURED` when no folder is watched. The answer
 * sums the folders' counts and never names server paths.
 */
export function registerWatchRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/watch/rescan',
      tags: ['Watch'],
      summary: 'Scan the watched folders now',
      errors: [404],
      responses: { 200: jsonResponse(RescanSchema, 'What the scan did') },
    }),
    async (c) => {
      const tenant = principalOf(c).tenant;
      // Each folder feeds one tenant: an admin scans only the folders of its own.
      if (!forge.watch.tenants.includes(tenant)) {
        throw new FileForgeError(
          ErrorCode.WATCH_NOT_CONFIGURED,
          'No folder is watched for this tenant: set WATCH_FOLDER',
        );
      }
      const results = await forge.watch.rescan({ tenant });
      const total = { folders: results.length, seen: 0, settling: 0, ingested: 0, rejected: 0, deferred: 0 };
      for (const r of results) {
        total.seen += r.seen;
        total.settling += r.settling;
        total.ingested += r.ingested;
        total.rejected += r.rejected;
        total.deferred += r.deferred;
      }
      return c.json(total, 200);
    },
  );
}
