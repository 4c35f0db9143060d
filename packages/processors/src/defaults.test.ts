import { spawnSync } from 'node:child_process';
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

  it('leaves out the processors set to false, and only those', () => {
    expect(defaultProcessors({ media: false, pdf: false }).map((p) => p.name)).toEqual([
      'generic',
      'text',
      'image',
      'office',
      'csv',
      'json',
      'archive',
    ]);
  });

  it('loads none of sharp, ffmpeg or pdf.js when the package root is imported', async () => {
    // Every module the import resolves is reported by a resolve hook (ESM imports never show
    // in require.cache), and every native addon by process.dlopen; then the same probe with a
    // heavy subpath proves the probe sees what it looks for.
    const probe = (load: string) => {
      const script = `
        import { register } from 'node:module';
        import { MessageChannel } from 'node:worker_threads';
        const seen = [];
        const { port1, port2 } = new MessageChannel();
        port1.on('message', (url) => seen.push(url));
        port1.unref();
        const hooks = 'let port; export function initialize(d) { port = d.port; }' +
          ' export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }';
        register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
        const dlopen = process.dlopen;
        process.dlopen = function (m, file, ...rest) { seen.push(file); return dlopen.call(this, m, file, ...rest); };
        ${load}
        await new Promise((r) => setTimeout(r, 100));
        console.log(JSON.stringify(seen.filter((u) => /[\\/](sharp|@img|pdfjs-dist)[\\/]|ffmpeg/.test(u))));
      `;
      const result = spawnSync(
        process.execPath,
        ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: new URL('../../..', import.meta.url).pathname, encoding: 'utf8' },
      );
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout.trim()) as string[];
    };
    expect(probe("const m = await import('@fileforge/processors'); m.defaultProcessors();")).toEqual([]);
    expect(
      probe("await import('@fileforge/processors/image'); await import('sharp');").length,
    ).toBeGreaterThan(0);
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
