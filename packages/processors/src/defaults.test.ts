import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../test/forge.js';
import { defaultProcessors } from './defaults.js';

describe('defaultProcessors', () => {
  it('returns generic then text', () => {
    expect(defaultProcessors().map((p) => p.name)).toEqual(['generic', 'text']);
  });

  describe('with a processor registered by the user', () => {
    const forge = useForge();

    it('runs it for files with its extension and stores its result under its name', async () => {
      forge().processors.register({
        name: 'custom',
        extensions: ['.custom'],
        async process() {
          return { metadata: { result: 'processed' } };
        },
      });
      const record = await ingestProcessed(forge(), 'custom content', { name: 'x.custom' });
      expect(record.status).toBe('processed');
      expect(record.metadata.custom).toEqual({ result: 'processed' });
      expect(record.metadata.generic).toBeDefined();
    });

    it('leaves files with other extensions alone', async () => {
      forge().processors.register({
        name: 'custom',
        extensions: ['.custom'],
        async process() {
          return { metadata: { result: 'processed' } };
        },
      });
      const record = await ingestProcessed(forge(), 'plain', { name: 'x.txt' });
      expect(record.status).toBe('processed');
      expect(record.metadata.custom).toBeUndefined();
    });
  });
});
