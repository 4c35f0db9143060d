import { z } from '@hono/zod-openapi';

/** `{id}` of a sorting rule: the rule's own id. */
export const RuleIdParam = z.object({
  id: z
    .string()
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'invoices' }),
});

/** `{runId}` of a sort run. */
export const SortRunIdParam = z.object({
  runId: z
    .string()
    .max(64)
    .openapi({ param: { name: 'runId', in: 'path' }, example: '01m89x19j1mxtrcxkbagdagbb0' }),
});

/**
 * `?cursor=` of a listing paged by id: the previous page's `nextCursor`, an id. Anything else is
 * refused (400 on `cursor`) rather than read as an id, which would end or restart the list.
 */
export const IdCursor = z
  .string()
  .regex(/^[0-9a-z]{1,64}$/, 'not a cursor returned by this API')
  .openapi({ description: '`nextCursor` of the previous page' });

/** `?cursor&limit` of the listings paged by id (sort runs). */
export const PageQuery = z.object({
  cursor: IdCursor.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * `?cursor&limit` of a listing whose cursor is opaque (the review queue's is the file
 * listing's, a workflow's runs' holds a time and an id): the store reading it refuses one it did
 * not hand out (400 on `cursor`).
 */
export const OpaquePageQuery = z.object({
  cursor: z.string().max(400).optional().openapi({ description: '`nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Body of `POST /api/v1/sorter/simulate` and `POST /api/v1/sorter/runs` (rules are checked by the rule schema). */
export const SortRequestBody = z.object({
  fileIds: z.array(z.string().max(64)).max(10_000).optional().openapi({
    description: 'The files to sort; default: every processed file of the tenant',
  }),
  rules: z.array(z.unknown()).max(1_000).optional().openapi({
    description: 'Rules to use instead of the saved ones (see the Rule schema)',
  }),
});

/** One line of a sort plan: where a file is, where it would go, which rule and why. */
export const PlanItemSchema = z
  .object({
    fileId: z.string(),
    from: z.string().nullable().openapi({ description: 'Its sorted path now; null when not sorted yet' }),
    to: z.string().nullable().openapi({ description: 'Where it would go; null when it stays' }),
    ruleId: z.string().nullable(),
    category: z.string().nullable(),
    action: z
      .enum(['move', 'skip', 'overwrite', 'deduplicate', 'rename_existing', 'trash', 'none'])
      .openapi({ example: 'move' }),
    reason: z.string(),
    displaced: z
      .object({ path: z.string(), to: z.string() })
      .optional()
      .openapi({ description: 'The occupant moved out of the way first (rename_existing, trash)' }),
  })
  .openapi('SortPlanItem');

/** A simulated plan: nothing was changed. */
export const SortPlanSchema = z.object({ items: z.array(PlanItemSchema) }).openapi('SortPlan');

/** One journaled move of a sort run. */
const SortMoveSchema = z.object({
  seq: z.number().int(),
  fileId: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  state: z.enum(['planned', 'moved', 'undone']),
  undoes: z.number().int().nullable().openapi({ description: 'For a move of an undo: the move it reverses' }),
});

const SortRunFields = {
  id: z.string(),
  status: z.enum(['applied', 'partial', 'undone']),
  source: z.string(),
  moved: z.number().int(),
  skipped: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  links: z.object({ self: z.string(), undo: z.string() }),
};

/** A sort run with its journal of moves. */
export const SortRunSchema = z
  .object({ ...SortRunFields, moves: z.array(SortMoveSchema) })
  .openapi('SortRun');

/** A sort run after an undo: how many moves this call reversed, and the file it stopped at. */
export const SortRunUndoneSchema = SortRunSchema.extend({
  undone: z.number().int(),
  deleted: z
    .number()
    .int()
    .openapi({ description: 'Files of the run deleted since: nothing to put back, passed over' }),
  stopped: z
    .object({
      fileId: z.string(),
      path: z.string().nullable(),
      reason: z.enum(['content-changed', 'moved-since', 'changed-on-disk', 'place-taken']),
      message: z.string(),
    })
    .nullable()
    .openapi({ description: 'null when the whole run is undone; call again once the file is fixed' }),
}).openapi('SortRunUndone');

/** A page of sort runs (without their moves). */
export const SortRunListSchema = z
  .object({ items: z.array(z.object(SortRunFields)), nextCursor: z.string().nullable() })
  .openapi('SortRunList');

/** How a category was decided. */
export const DecidedBySchema = z
  .object({
    kind: z.enum(['rule', 'model', 'person']),
    ruleId: z.string().optional(),
    score: z.number().optional(),
    threshold: z.number().optional(),
    userId: z.string().optional(),
  })
  .nullable();

/** `GET /api/v1/files/{id}/classification`. */
export const ClassificationSchema = z
  .object({
    status: z.enum(['unclassified', 'decided', 'review']),
    category: z.string().nullable(),
    decidedBy: DecidedBySchema,
    explanation: z.unknown().openapi({
      description: 'Readable account of the decision: rules tried, conditions and words matched, score',
    }),
    decidedAt: z.string(),
  })
  .openapi('Classification');

/** Body of `POST /api/v1/files/{id}/classification`. */
export const CorrectionBody = z
  .object({ category: z.string().min(1).max(200) })
  .openapi('ClassificationCorrection');

/**
 * Query of `GET /api/v1/folders`: a relative folder of the sorted tree, never leaving it. Its
 * cursor is opaque (base64url of the last name listed, up to a 255-byte name): the listing
 * refuses one it did not hand out (400 on `cursor`).
 */
export const FolderQuery = PageQuery.extend({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'not a cursor returned by this API')
    .optional()
    .openapi({ description: '`nextCursor` of the previous page' }),
  path: z
    .string()
    .max(1024)
    .default('')
    .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.includes('\0'), 'A relative posix path')
    .refine(
      (p) =>
        !p
          .replace(/\/+$/, '')
          .split('/')
          .some((part, _i, all) => part === '..' || part === '.' || (part === '' && all.length > 1)),
      'No empty, "." or ".." segments',
    )
    .transform((p) => p.replace(/\/+$/, ''))
    .openapi({ example: 'invoices/2026' }),
});
