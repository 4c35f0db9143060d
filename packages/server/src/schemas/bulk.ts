import { isKeptSegment } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { FileSchema } from './files.js';

/**
 * Folder paths a bulk move accepts: relative, `/`-separated, each segment a name the sorted
 * tree keeps as it is — so the files land exactly in the folder asked for, never in one the
 * tree had to rename (`CON` → `_CON`, `x:y` → `x-y`), which the answer would then call a failure.
 */
const FolderPath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (path) => path.split('/').every(isKeptSegment),
    'expected a relative folder path such as "invoices/2026": no empty or dot-only segments, no leading or trailing "/" or spaces, none of \\ : * ? " < > | or control characters, no device names such as CON',
  );

/** Body of `POST /api/v1/files/bulk`. */
export const BulkBody = z
  .object({
    action: z.enum(['delete', 'reprocess', 'move', 'categorize']),
    ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(500)
      .refine((ids) => new Set(ids).size === ids.length, 'ids must not repeat'),
    path: FolderPath.optional().openapi({ description: '`move`: the folder to move the files into' }),
    category: z.string().min(1).max(200).optional().openapi({ description: '`categorize`: the category' }),
  })
  .superRefine((body, ctx) => {
    if (body.action === 'move' && body.path === undefined)
      ctx.addIssue({ code: 'custom', path: ['path'], message: '`move` needs a path' });
    if (body.action === 'categorize' && body.category === undefined)
      ctx.addIssue({ code: 'custom', path: ['category'], message: '`categorize` needs a category' });
  })
  .openapi('BulkRequest');

/** One file's outcome in a bulk action. */
export const BulkItemSchema = z
  .object({
    id: z.string(),
    ok: z.boolean(),
    status: z
      .number()
      .int()
      .openapi({ description: 'The HTTP status the single-file route would have answered' }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    file: FileSchema.optional().openapi({ description: 'The record after the action (not for `delete`)' }),
  })
  .openapi('BulkItem');

/** What `POST /api/v1/files/bulk` answers. */
export const BulkResultSchema = z
  .object({
    action: z.enum(['delete', 'reprocess', 'move', 'categorize']),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(BulkItemSchema).openapi({ description: 'One per id, in the order given' }),
  })
  .openapi('BulkResult');
