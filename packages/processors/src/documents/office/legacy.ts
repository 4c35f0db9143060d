import type { FileRecord } from '@fileforge/core';
import type { LegacyOfficeMetadata } from './office-metadata.js';

/** MIME type file-type reports for OLE2 compound files (legacy `.doc`, `.xls`, `.ppt`, `.msg`, `.msi`, …). */
export const CFB_MIME = 'application/x-cfb';

const BY_EXTENSION: Readonly<Record<string, LegacyOfficeMetadata['format']>> = {
  doc: 'doc',
  dot: 'doc',
  xls: 'xls',
  xlt: 'xls',
  xla: 'xls',
  ppt: 'ppt',
  pps: 'ppt',
  pot: 'ppt',
};

/**
 * Records a legacy binary office file without reading it. The bytes only say "compound
 * file", so the name's extension is a hint, not a verdict; nothing is extracted (the binary
 * formats need a dedicated parser, with its own attack surface).
 */
export function legacyOfficeMetadata(record: FileRecord): LegacyOfficeMetadata {
  const dot = record.name.lastIndexOf('.');
  const ext = dot < 0 ? '' : record.name.slice(dot + 1).toLowerCase();
  return { format: BY_EXTENSION[ext] ?? 'unknown-ole', extracted: false };
}
