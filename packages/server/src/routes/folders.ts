import type { Forge } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { fileResource } from '../http/resource.js';
import { FileSchema } from '../schemas/files.js';
import { FolderQuery } from '../schemas/sorter.js';

const FolderListingSchema = z
  .object({
    path: z.string().openapi({ description: 'The folder listed ("" is the root of the sorted tree)' }),
    folders: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        fileCount: z.number().int().openapi({ description: 'Files anywhere under it' }),
        links: z.object({ self: z.string() }),
      }),
    ),
    files: z.array(FileSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('FolderListing');

const folderLink = (path: string) => `/api/v1/folders?path=${encodeURIComponent(path)}`;

/** `GET /api/v1/folders?path=invoices/2026`: one level of the sorted tree, sub-folders first, paginated. */
export function registerFolderRoutes(app: ApiApp, forge: Forge): void {
  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/folders',
      tags: ['Sorter'],
      summary: 'Browse the sorted tree: the sub-folders and files at one level',
      request: { query: FolderQuery },
      errors: [400],
      responses: { 200: jsonResponse(FolderListingSchema, 'One page of the folder') },
    }),
    async (c) => {
      const { path, cursor, limit } = c.req.valid('query');
      const listing = await forge.sorter.folders(principalOf(c).tenant, path, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return c.json(
        {
          path,
          folders: listing.folders.map((folder) => ({ ...folder, links: { self: folderLink(folder.path) } })),
          files: listing.files.map(fileResource),
          nextCursor: listing.nextCursor,
        },
        200,
      );
    },
  );
}
