import { TYPE_FAMILIES } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { isIsoTime, queryText } from './query-params.js';
import { ClassificationSchema } from './sorter.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date or date-time query bound, as the catalog's ISO 8601 (a bare date: its first or last millisecond, UTC). */
function dateBound(edge: 'start' | 'end') {
  return z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const text = DATE_ONLY.test(value)
        ? `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`
        : value;
      const at = Date.parse(text);
      if (!isIsoTime(text)) {
        ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 date or date-time' });
        return z.NEVER;
      }
      return new Date(at).toISOString();
    });
}

/** `{id}` path parameter: a generated FileForge id. */
/** The longest `cursor` a file list takes. */
export const MAX_CURSOR_CHARS = 1024;

export const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '01m89x19j1mxtrcxkbagdagbb0' }),
});

const FileError = z
  .object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })
  .nullable();

/** Why and when `fileforge fsck --repair` marked a file damaged. */
const FileDamageSchema = z
  .object({
    at: z.string().openapi({ description: 'When the damage was found (ISO 8601)' }),
    reason: z.string().openapi({
      description: '`blob_missing` (the stored content is gone) or `sha256_mismatch` (it changed)',
      example: 'sha256_mismatch',
    }),
  })
  .openapi('FileDamage');

/** A file record as the API returns it. */
export const FileSchema = z
  .object({
    id: z.string(),
    tenant: z.string(),
    name: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    mime: z.string().openapi({ description: 'Detected from the bytes, never from the name or the header' }),
    ext: z.string(),
    declaredMime: z.string().nullable(),
    typeMismatch: z.boolean(),
    typeFamily: z.enum(TYPE_FAMILIES).openapi({ description: 'The coarse kind of the detected type' }),
    status: z.enum(['pending', 'processing', 'processed', 'failed', 'rejected']),
    ownerId: z.string().nullable(),
    apiKeyId: z
      .string()
      .nullable()
      .openapi({ description: 'The API key the file was uploaded through, if any' }),
    duplicateOf: z.string().nullable(),
    error: FileError,
    metadata: z.record(z.string(), z.unknown()),
    path: z.string().nullable().openapi({
      description: 'Its place in the sorted tree (`invoices/2026/11/report.pdf`); null while not sorted',
    }),
    category: z.string().nullable(),
    classification: ClassificationSchema.nullable(),
    damaged: FileDamageSchema.nullable().openapi({
      description:
        'Set by `fileforge fsck --repair` when the stored content is missing or no longer matches `sha256`: the file is never served as good data (download answers 409 `FILE_DAMAGED`). Null when sound',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    links: z.object({ self: z.string(), download: z.string(), derivatives: z.string() }),
  })
  .openapi('File');

/** Query of `GET /api/v1/files`. */
export const FileListQuery = z.object({
  status: z.enum(['pending', 'processing', 'processed', 'failed', 'rejected']).optional(),
  // No regex flags: the pattern is published in the OpenAPI document, where flags do not exist
  // (an `/i` made every value fail in /docs). Upper case is accepted and lowered.
  mime: z
    .string()
    .regex(/^[A-Za-z0-9.+-]+\/([A-Za-z0-9.+-]+|\*)$/, 'expected type/subtype or type/*')
    .transform((value) => value.toLowerCase())
    .optional()
    .openapi({ example: 'image/*' }),
  name: queryText().min(1).max(255).optional(),
  category: queryText().min(1).max(200).optional().openapi({ example: 'invoices' }),
  q: z.string().min(1).max(200).optional().openapi({
    description:
      'Full-text search over names, extracted text and document metadata (title, author, EXIF, media tags). Every word must occur; the last may be the start of a word. Results are ranked (unless `sort` says otherwise) and each item carries a `match` with the snippet',
    example: 'invoice acme',
  }),
  type: z.enum(TYPE_FAMILIES).optional().openapi({
    description: 'Type family of the detected type (`other`: none of the others)',
  }),
  folder: queryText().min(1).max(1024).optional().openapi({
    description: 'Files whose sorted path lies under this folder (`invoices/2026`)',
    example: 'invoices/2026',
  }),
  createdFrom: dateBound('start').optional().openapi({
    description: 'Created at or after (ISO 8601 date or date-time; a date means its start, UTC)',
    example: '2026-11-01',
  }),
  createdTo: dateBound('end').optional().openapi({
    description: 'Created at or before (ISO 8601 date or date-time; a date means its end, UTC)',
    example: '2026-11-30',
  }),
  uploader: queryText().min(1).max(64).optional().openapi({
    description: 'Uploaded by this user, or through this API key (an id)',
  }),
  sort: z.enum(['relevance', 'name', 'size', 'created', 'updated']).optional().openapi({
    description: '`relevance` (needs `q`; the default with it), else `created` (the default)',
  }),
  order: z.enum(['asc', 'desc']).optional().openapi({
    description: 'Default `desc` (newest, largest, best first), `asc` for `name`',
  }),
  // A `sort=name` cursor carries the name (up to 255 bytes, JSON-escaped, base64url): ~750.
  cursor: z.string().max(MAX_CURSOR_CHARS).optional().openapi({
    description: '`nextCursor` of the previous page, with the same `sort` and `order`',
  }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Where a search hit matched (`q`), and the matching text. */
export const SearchMatchSchema = z
  .object({
    field: z.enum(['text', 'metadata', 'name']).openapi({
      description: '`text` (extracted text), `metadata` (title, author, EXIF, …) or `name`',
    }),
    snippet: z.string().openapi({ description: 'A short excerpt around the match, as plain text' }),
    highlights: z.array(z.object({ start: z.number().int(), end: z.number().int() })).openapi({
      description: 'The matched words in `snippet`: `[start, end)` offsets in UTF-16 code units',
    }),
    rank: z
      .number()
      .openapi({ description: 'Relevance, higher is better; comparable within one search only' }),
  })
  .openapi('SearchMatch');

/** A page of files. */
export const FileListSchema = z
  .object({
    items: z.array(
      FileSchema.extend({
        match: SearchMatchSchema.optional().openapi({ description: 'With `q`: where this file matched' }),
      }).openapi('FileListItem'),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('FileList');

/** A derivative as the API returns it. */
export const DerivativeSchema = z
  .object({
    fileId: z.string(),
    name: z.string(),
    kind: z.string(),
    mime: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    createdAt: z.string(),
    links: z.object({ download: z.string() }),
  })
  .openapi('Derivative');

/** The multipart upload body (documented only: it is parsed as a stream, never buffered). */
export const UploadBodySchema = {
  type: 'object' as const,
  properties: { file: { type: 'array' as const, items: { type: 'string' as const, format: 'binary' } } },
  required: ['file'],
};
