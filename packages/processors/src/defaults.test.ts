import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../test/forge.js';
import { defaultProcessors } from './defaults.js';

describe('defaultProcessors', () => {
  it('returns every built-in processor, generic first', () => {
    expect(defaultProcessors().map((p) => p.name)).toEqual([
      'generic',
      'text',
      'image',
      'media',
      'pdf',
      'office',
      'csv',
      'json',
      'archive',
    ]);
  });

  it('leaves out the processors set to false', () => {
    expect(defaultProcessors({ media: false, pdf: false }).map((p) => p.name)).not.toContain('media');
  });

  it('loads none of sharp, ffmpeg or pdf.js when the package root is imported', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `
      import { createRequire } from 'node:module';
      const m = await import('@fileforge/processors');
      m.defaultProcessors();
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((k) => /[\\/](sharp|pdfjs-dist)[\\/]/.test(k))));
    `;
    const result = spawnSync(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: new URL('../../..', import.meta.url).pathname,
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout.trim())).toEqual([]);
  }, 60_000);

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
