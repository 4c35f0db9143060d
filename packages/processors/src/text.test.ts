import { ErrorCode, FileForgeError } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../test/forge.js';
import { processorContext, processorFile } from '../test/processor-file.js';
import { createGenericProcessor } from './generic.js';
import { createTextProcessor, type TextMetadata } from './text.js';

const UTF16LE = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo wörld\n', 'utf16le')]);

describe('text processor', () => {
  describe('with the default processors', () => {
    const forge = useForge();

    it('describes a UTF-8 file', async () => {
      const record = await ingestProcessed(forge(), 'Hello world\nsecond line here\n', { name: 'a.txt' });
      expect(record.status).toBe('processed');
      expect(record.metadata.text).toEqual({
        encoding: 'utf-8',
        lines: 2,
        words: 5,
        characters: 29,
        lineEndings: 'lf',
        excerpt: 'Hello world\nsecond line here\n',
        truncated: false,
      } satisfies TextMetadata);
    });

    it('reports CRLF line endings', async () => {
      const record = await ingestProcessed(forge(), 'one\r\ntwo\r\nthree', { name: 'dos.txt' });
      expect(record.metadata.text).toMatchObject({ lineEndings: 'crlf', lines: 3, words: 3 });
    });

    it('reads a UTF-16BE file with a byte order mark', async () => {
      const content = Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        Buffer.from('héllo wörld\n', 'utf16le').swap16(),
      ]);
      const record = await ingestProcessed(forge(), content, { name: 'wide.txt' });
      expect(record.metadata.text).toMatchObject({
        encoding: 'utf-16be',
        excerpt: 'héllo wörld\n',
        words: 2,
      });
    });

    // Regression: FF FE also reads as an MPEG frame sync; detection must check the BOM first.
    it('reads a UTF-16LE file with a byte order mark', async () => {
      const record = await ingestProcessed(forge(), UTF16LE, { name: 'wide.txt' });
      expect(record.metadata.text).toMatchObject({ encoding: 'utf-16le' });
    });

    it('falls back to latin1 when bytes beyond the detection window are not UTF-8', async () => {
      // Detection only sees the first 64 KiB, which are ASCII; the é at the end is latin1.
      const content = Buffer.concat([
        Buffer.from('word '.repeat(14_000)),
        Buffer.from('caf\u00e9\n', 'latin1'),
      ]);
      const record = await ingestProcessed(forge(), content, { name: 'old.txt' });
      expect(record.status).toBe('processed');
      expect(record.metadata.text).toMatchObject({
        encoding: 'latin1',
        words: 14_001,
        characters: content.length,
      });
    });

    it('does not run on files that are not text', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      const record = await ingestProcessed(forge(), png, { name: 'dot.png' });
      expect(record.mime).toBe('image/png');
      expect(record.metadata.text).toBeUndefined();
    });
  });

  describe('with options', () => {
    const forge = useForge(() => ({
      processors: [createGenericProcessor(), createTextProcessor({ excerptChars: 5, maxBytes: 12 })],
    }));

    it('keeps a shorter excerpt and stops counting at maxBytes', async () => {
      const record = await ingestProcessed(forge(), 'alpha beta gamma delta\n', { name: 'long.txt' });
      expect(record.metadata.text).toMatchObject({
        excerpt: 'alpha',
        truncated: true,
        characters: 12,
        words: 3,
      });
    });
  });

  it('reads a UTF-16LE file with a byte order mark', async () => {
    const text = await createTextProcessor().extractMetadata?.(processorFile(UTF16LE), processorContext());
    expect(text).toMatchObject({
      encoding: 'utf-16le',
      excerpt: 'héllo wörld\n',
      characters: 12,
      words: 2,
      lines: 1,
    });
  });

  it('stops reading when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const run = createTextProcessor().extractMetadata?.(
      processorFile(UTF16LE),
      processorContext(controller.signal),
    );
    await expect(run).rejects.toThrow();
  });

  it('refuses bad options when it is created', () => {
    for (const options of [{ excerptChars: -1 }, { maxBytes: 0 }, { maxBytes: 1.5 }]) {
      let thrown: unknown;
      try {
        createTextProcessor(options);
      } catch (error) {
        thrown = error;
      }
      expect(FileForgeError.is(thrown) && thrown.code).toBe(ErrorCode.INVALID_CONFIG);
    }
  });
});
