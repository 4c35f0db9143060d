import { FileForgeError, type Processor } from '@fileforge/core';

/**
 * A processor for `.custom` files: a header line `CUSTOM v<n>` followed by records, one per
 * line. It reports the version and the record count, and rejects files without the header.
 */
export const customProcessor: Processor = {
  name: 'custom',
  extensions: ['.custom'],
  support: {
    formats: 'CUSTOM record files (.custom)',
    extracts: ['format version', 'record count'],
    limits: ['a missing CUSTOM header → CONTENT_REJECTED custom_header'],
  },
  async extractMetadata(file, { signal }) {
    let text = '';
    for await (const chunk of await file.open()) {
      signal.throwIfAborted();
      text += chunk.toString('utf8');
    }
    const [header = '', ...records] = text.split('\n').filter(Boolean);
    const match = /^CUSTOM v(\d+)$/.exec(header);
    if (!match) {
      throw new FileForgeError('CONTENT_REJECTED', 'Not a CUSTOM file', {
        details: { reason: 'custom_header' },
      });
    }
    return { version: Number(match[1]), records: records.length };
  },
  async process() {
    return { metadata: { result: 'processed' } };
  },
};
