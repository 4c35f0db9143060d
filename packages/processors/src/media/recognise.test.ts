import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rangedFile } from '../../test/archive-fixtures.js';
import { hasBinary } from '../../test/binaries.js';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { ffmpeg, ffprobe } from '../../test/media-fixtures.js';
import { processorContext } from '../../test/processor-file.js';
import { createMediaProcessor } from './processor.js';
import { toolArgv } from './tool-argv.js';

const tools = hasBinary('ffmpeg') && hasBinary('ffprobe');

describe('second opinion argv', () => {
  it('lets ffprobe probe but open only the whitelisted formats, from a file: URL', () => {
    const argv = toolArgv('ffprobe', {
      input: { path: '/data/blobs/x', container: { whitelist: 'au,iff,voc,w64' } },
      after: ['-of', 'json'],
    });
    expect(argv).not.toContain('-f');
    expect(argv.slice(argv.indexOf('-format_whitelist'), argv.indexOf('-format_whitelist') + 2)).toEqual([
      '-format_whitelist',
      'au,iff,voc,w64',
    ]);
    expect(argv).toContain('file:/data/blobs/x');
  });
});

describe.skipIf(!tools)('second opinion on unknown binary content (issue 9)', { timeout: 60_000 }, () => {
  const forge = useForge();

  it('leaves unknown binary content unknown, processed, with no media metadata', async () => {
    // Random bytes match a magic number (an MPEG frame sync, a BOM…) about 1 time in 1,700.
    const bytes = randomBytes(4096).fill(0, 0, 8);
    const record = await ingestProcessed(forge(), bytes, { name: 'blob.bin' });
    expect(record).toMatchObject({ status: 'processed', mime: 'application/octet-stream', ext: 'bin' });
    expect(record.metadata.media).toBeUndefined();
    expect(record.metadata.generic).toBeDefined();
  });

  it('recognises Sun audio in a store without local paths, from a copy of its head', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-au-'));
    try {
      const path = join(dir, 'tone.au');
      await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.2:sample_rate=8000', '-f', 'au', path]);
      const ranges: unknown[] = [];
      const base = rangedFile(await readFile(path), 'application/octet-stream');
      const file = {
        ...base,
        open: (range?: { start?: number; end?: number }) => {
          ranges.push(range);
          return base.open(range);
        },
      };
      const result = await createMediaProcessor({ derivatives: false }).process?.(file, processorContext());
      expect(result).toMatchObject({ type: { mime: 'audio/basic', ext: 'au' }, metadata: { format: 'au' } });
      expect(ranges[0]).toEqual({ start: 0, end: 5 * 1024 * 1024 - 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not let ffprobe open formats off its list (SoX native audio)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-sox-'));
    try {
      const path = join(dir, 'tone.sox');
      await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=0.2:sample_rate=8000', '-f', 'sox', path]);
      expect((await ffprobe(path)).format.format_name).toBe('sox'); // ffprobe itself would read it
      const record = await ingestProcessed(forge(), await readFile(path), { name: 'tone.sox' });
      expect(record).toMatchObject({ status: 'processed', mime: 'application/octet-stream' });
      expect(record.metadata.media).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
