import type { SortSubject } from './subject.js';

/** A subject for tests: a small PDF invoice unless overridden. */
export function testSubject(overrides: Partial<SortSubject> = {}): SortSubject {
  return {
    id: 'file-1',
    name: 'ACME invoice.pdf',
    ext: 'pdf',
    mime: 'application/pdf',
    size: 120_000,
    sha256: 'a'.repeat(64),
    createdAt: '2024-03-05T10:20:30.000Z',
    uploadedBy: 'user-1',
    source: 'upload',
    text: 'Invoice 42 from BC Hydro. Amount due: 120 EUR.',
    metadata: { pdf: { pageCount: 2 }, image: { width: 800 } },
    category: null,
    ...overrides,
  };
}
