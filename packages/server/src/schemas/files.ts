import { z } from '@hono/zod-openapi';
import { ClassificationSchema } from './sorter.js';

/** `{id}` path parameter: a generated FileForge id. */
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
  name: z.string().min(1).max(255).optional(),
  category: z.string().min(1).max(200).optional().openapi({ example: 'invoices' }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** A page of files. */
export const FileListSchema = z
  .object({ items: z.array(FileSchema), nextCursor: z.string().nullable() })
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
