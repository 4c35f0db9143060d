import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../model/file-record.js';
import { extractedText, subjectFromRecord } from './subject.js';

const record: FileRecord = {
  id: 'f1',
  tenant: 'default',
  name: 'contract.docx',
  size: 10,
  sha256: 'c'.repeat(64),
  mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ext: 'docx',
  declaredMime: null,
  typeMismatch: false,
  status: 'processed',
  ownerId: null,
  apiKeyId: 'key-1',
  blobKey: 'b',
  duplicateOf: null,
  error: null,
  metadata: { office: { format: 'docx', text: 'This agreement…' } },
  path: null,
  category: null,
  classification: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
};

describe('subjectFromRecord', () => {
  it('takes the extracted text from the processors and the key as uploader', () => {
    expect(subjectFromRecord(record)).toMatchObject({
      id: 'f1',
      ext: 'docx',
      text: 'This agreement…',
      uploadedBy: 'key-1',
      source: 'upload',
      category: null,
    });
    expect(subjectFromRecord(record, 'override', { source: 'watch' })).toMatchObject({
      text: 'override',
      source: 'watch',
    });
  });

  it("keeps the name's own extension for templates only when detection found it fitting", () => {
    const named = (name: string, detection: unknown, typeMismatch = false) =>
      subjectFromRecord({ ...record, name, typeMismatch, metadata: { detection } }).nameExt;
    expect(named('Contract.DOCX', { nameExt: 'docx', extensionMismatch: false })).toBe('DOCX');
    expect(named('contract.pdf', { nameExt: 'pdf', extensionMismatch: true }, true)).toBeUndefined();
    expect(named('contract', { nameExt: null, extensionMismatch: false })).toBeUndefined();
  });

  it('takes where the file came in from the record (a watched folder) and its current category', () => {
    const watched = { ...record, category: 'contracts', metadata: { ...record.metadata, source: 'watch' } };
    expect(subjectFromRecord(watched)).toMatchObject({ source: 'watch', category: 'contracts' });
  });
});

describe('extractedText', () => {
  it('prefers full document text, then the plain-text excerpt', () => {
    expect(extractedText({ pdf: { text: 'pdf text' }, text: { excerpt: 'x' } })).toBe('pdf text');
    expect(extractedText({ email: { text: 'mail body' } })).toBe('mail body');
    expect(extractedText({ text: { excerpt: 'first lines', lines: 3 } })).toBe('first lines');
    expect(extractedText({ image: { width: 1 } })).toBe('');
  });
});
