import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FileRecord } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { containerFor, MEDIA_TYPES, supportsMediaType } from './formats.js';
import { createMediaProcessor } from './processor.js';

describe('containerFor', () => {
  it('maps detected types to a forced demuxer and its whitelist', () => {
    expect(containerFor('video/mp4')).toEqual({
      format: 'mp4',
      demuxer: 'mp4',
      whitelist: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
    expect(containerFor('video/webm')).toEqual({
      format: 'webm',
      demuxer: 'webm',
      whitelist: 'matroska,webm',
    });
    expect(containerFor('audio/wav')?.demuxer).toBe('wav');
  });

  it('ignores parameters and case (file-type reports Opus as "audio/ogg; codecs=opus")', () => {
    expect(containerFor('audio/ogg; codecs=opus')?.demuxer).toBe('ogg');
    expect(containerFor('Audio/MPEG')?.demuxer).toBe('mp3');
  });

  it('has nothing for text, playlists, MIDI or prototype keys', () => {
    for (const mime of [
      'text/plain',
      'application/vnd.apple.mpegurl',
      'audio/midi',
      'constructor',
      '__proto__/x',
    ]) {
      expect(supportsMediaType(mime), mime).toBe(false);
    }
  });
});

describe('media processor selection', () => {
  const processor = createMediaProcessor();
  const record = (mime: string) => ({ mime, name: 'x', ext: 'x' }) as FileRecord;

  it('runs on audio and video types ffmpeg reads, never on text named like media', () => {
    expect(processor.accepts?.(record('video/mp4'))).toBe(true);
    expect(processor.accepts?.(record('audio/ogg; codecs=opus'))).toBe(true);
    expect(processor.accepts?.(record('text/plain'))).toBe(false);
    expect(processor.accepts?.(record('audio/x-it'))).toBe(false);
  });

  it('describes its formats, extracts, derivatives and limits', () => {
    expect(processor.support?.limits).toContain('longer than 4 h → CONTENT_REJECTED media_limits');
    expect(processor.support?.derivatives?.join(' ')).toMatch(/poster\.jpg.*waveform\.png/);
  });

  it('refuses bad options at construction', () => {
    expect(() => createMediaProcessor({ maxDurationSeconds: 0 })).toThrow(/maxDurationSeconds/);
    expect(() => createMediaProcessor({ threads: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
    expect(() => createMediaProcessor({ ffprobePath: '' })).toThrow(/ffprobePath/);
  });
});

describe.skipIf(!hasBinary('ffmpeg'))('containers against the installed ffmpeg', () => {
  it('names demuxers that exist, with their full name lists as whitelist', async () => {
    const { stdout } = await promisify(execFile)('ffmpeg', ['-hide_banner', '-demuxers']);
    const demuxers = stdout
      .split('\n')
      .map((line) => /^\s*D\S*\s+(\S+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    for (const mime of MEDIA_TYPES) {
      const { demuxer, whitelist } = containerFor(mime)!;
      expect(demuxers, mime).toContain(whitelist);
      expect(whitelist.split(','), mime).toContain(demuxer);
    }
  });
});
