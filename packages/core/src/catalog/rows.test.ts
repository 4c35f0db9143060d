import type { Selectable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fileFromRow, fileJsonFromRow } from './rows.js';
import type { FilesTable } from './schema.js';

const row: Selectable<FilesTable> = {
  id: '01h0000000000000000000000a',
  tenant: 'default',
  name: 'Invoice "März" \u2028.pdf',
  size: 44,
  sha256: 'a'.repeat(64),
  mime: 'application/pdf',
  ext: 'pdf',
  declared_mime: null,
  type_mismatch: 0,
  status: 'processed',
  owner_id: 'user-1',
  api_key_id: null,
  blob_key: 'default/01h0000000000000000000000a',
  duplicate_of: null,
  error: null,
  metadata: JSON.stringify({
    detection: { mime: 'application/pdf', pages: 3, ratio: 0.1 },
    tags: ['a', 'b'],
  }),
  path: 'invoices/2024/Invoice.pdf',
  category: 'invoices',
  classification: JSON.stringify({
    status: 'decided',
    category: 'invoices',
    decidedBy: { kind: 'rule', ruleId: 'r' },
  }),
  classification_status: 'decided',
  classified_by: 'rule',
  damaged_at: null,
  damage_reason: null,
  created_at: '2026-11-30T04:37:22.319Z',
  updated_at: '2026-11-30T04:37:22.473Z',
};

describe('fileJsonFromRow', () => {
  it('writes the text JSON.stringify(fileFromRow(row)) gives, keys in the same order', () => {
    expect(fileJsonFromRow(row)).toBe(JSON.stringify(fileFromRow(row)));
  });

  it('does so for a damaged record with an error, no path and no classification', () => {
    const other: Selectable<FilesTable> = {
      ...row,
      error: JSON.stringify({ code: 'PROCESSOR_FAILED', message: 'no' }),
      type_mismatch: 1,
      path: null,
      category: null,
      classification: null,
      damaged_at: '2026-11-30T05:00:00.000Z',
      damage_reason: 'blob_missing',
    };
    expect(fileJsonFromRow(other)).toBe(JSON.stringify(fileFromRow(other)));
    expect(JSON.parse(fileJsonFromRow(other))).toEqual(fileFromRow(other));
  });
});
