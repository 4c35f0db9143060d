import type { Selectable } from 'kysely';
import type {
  Classification,
  DerivativeRecord,
  FileRecord,
  FileStatus,
  JobRecord,
  JobStatus,
} from '../model/index.js';
import type { OutboxEntry } from './catalog.js';
import type { DerivativesTable, EventOutboxTable, FilesTable, JobsTable } from './schema.js';

/** Maps between catalog rows and the public records. Drivers differ on bigint, so numbers are coerced. */
export function fileFromRow(row: Selectable<FilesTable>): FileRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    size: Number(row.size),
    sha256: row.sha256,
    mime: row.mime,
    ext: row.ext,
    declaredMime: row.declared_mime,
    typeMismatch: Boolean(Number(row.type_mismatch)),
    status: row.status as FileStatus,
    ownerId: row.owner_id,
    apiKeyId: row.api_key_id,
    blobKey: row.blob_key,
    duplicateOf: row.duplicate_of,
    error: row.error ? JSON.parse(row.error) : null,
    metadata: JSON.parse(row.metadata),
    path: row.path ?? null,
    category: row.category ?? null,
    classification: row.classification ? JSON.parse(row.classification) : null,
    // Only present on damaged records, so a sound record reads back exactly as it was written.
    ...(row.damaged_at ? { damaged: { at: row.damaged_at, reason: row.damage_reason ?? 'unknown' } } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The JSON text of `fileFromRow(row)`, same keys in the same order, with the row's JSON
 * columns (metadata, classification, error) copied as stored instead of parsed and serialized
 * again: for payloads written straight from a row (a batch's `file.sorted` events).
 */
export function fileJsonFromRow(row: Selectable<FilesTable>): string {
  const s = JSON.stringify;
  const damaged = row.damaged_at
    ? `"damaged":${s({ at: row.damaged_at, reason: row.damage_reason ?? 'unknown' })},`
    : '';
  return (
    `{"id":${s(row.id)},"tenant":${s(row.tenant)},"name":${s(row.name)},"size":${s(Number(row.size))},` +
    `"sha256":${s(row.sha256)},"mime":${s(row.mime)},"ext":${s(row.ext)},"declaredMime":${s(row.declared_mime)},` +
    `"typeMismatch":${Boolean(Number(row.type_mismatch))},"status":${s(row.status)},"ownerId":${s(row.owner_id)},` +
    `"apiKeyId":${s(row.api_key_id)},"blobKey":${s(row.blob_key)},"duplicateOf":${s(row.duplicate_of)},` +
    `"error":${row.error ? row.error : 'null'},"metadata":${row.metadata},"path":${s(row.path ?? null)},` +
    `"category":${s(row.category ?? null)},"classification":${row.classification ? row.classification : 'null'},` +
    `${damaged}"createdAt":${s(row.created_at)},"updatedAt":${s(row.updated_at)}}`
  );
}

export function fileToRow(record: FileRecord): FilesTable {
  return {
    id: record.id,
    tenant: record.tenant,
    name: record.name,
    size: record.size,
    sha256: record.sha256,
    mime: record.mime,
    ext: record.ext,
    declared_mime: record.declaredMime,
    type_mismatch: record.typeMismatch ? 1 : 0,
    status: record.status,
    owner_id: record.ownerId,
    api_key_id: record.apiKeyId,
    blob_key: record.blobKey,
    duplicate_of: record.duplicateOf,
    error: record.error ? JSON.stringify(record.error) : null,
    metadata: JSON.stringify(record.metadata),
    path: record.path ?? null,
    category: record.category ?? null,
    ...classificationColumns(record.classification ?? null),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/** The classification JSON and the two columns that repeat its status and decider for indexes. */
export function classificationColumns(
  classification: Classification | null,
): Pick<FilesTable, 'classification' | 'classification_status' | 'classified_by'> {
  return {
    classification: classification ? JSON.stringify(classification) : null,
    classification_status: classification?.status ?? null,
    classified_by: classification?.decidedBy?.kind ?? null,
  };
}

export function derivativeFromRow(row: Selectable<DerivativesTable>): DerivativeRecord {
  return {
    fileId: row.file_id,
    name: row.name,
    kind: row.kind,
    mime: row.mime,
    size: Number(row.size),
    sha256: row.sha256,
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    blobKey: row.blob_key,
    createdAt: row.created_at,
  };
}

export function derivativeToRow(d: DerivativeRecord): DerivativesTable {
  return {
    file_id: d.fileId,
    name: d.name,
    kind: d.kind,
    mime: d.mime,
    size: d.size,
    sha256: d.sha256,
    width: d.width,
    height: d.height,
    blob_key: d.blobKey,
    created_at: d.createdAt,
  };
}

export function jobFromRow(row: Selectable<JobsTable>): JobRecord {
  return {
    id: row.id,
    type: row.type,
    payload: JSON.parse(row.payload),
    key: row.dedupe_key,
    status: row.status as JobStatus,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: row.run_at,
    lastError: row.last_error,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function outboxFromRow(row: Selectable<EventOutboxTable>): OutboxEntry {
  return {
    seq: Number(row.seq),
    id: row.event_id,
    type: row.type,
    stream: row.stream,
    payload: JSON.parse(row.payload),
    createdAt: row.created_at,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
    claimedBy: row.claimed_by,
    claimedUntil: row.claimed_until,
  };
}
