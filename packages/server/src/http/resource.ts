import { type DerivativeRecord, type FileRecord, typeFamilyOf } from '@fileforge/core';

/** A file as the API shows it: the record without storage internals, plus links. */
export function fileResource(record: FileRecord) {
  const { blobKey: _blobKey, ...rest } = record;
  const self = `/api/v1/files/${record.id}`;
  // Always present (null when sound), as the OpenAPI schema declares it.
  return {
    ...rest,
    typeFamily: typeFamilyOf(record.mime),
    damaged: record.damaged ?? null,
    links: { self, download: `${self}/download`, derivatives: `${self}/derivatives` },
  };
}

/** A derivative as the API shows it. */
export function derivativeResource(d: DerivativeRecord) {
  const { blobKey: _blobKey, ...rest } = d;
  return {
    ...rest,
    links: { download: `/api/v1/files/${d.fileId}/derivatives/${encodeURIComponent(d.name)}` },
  };
}
