import { describe, expect, it } from 'vitest';
import { containerFor } from './formats.js';
import { toolArgv } from './tool-argv.js';

const mp4 = containerFor('video/mp4')!;

describe('toolArgv', () => {
  it('forces the demuxer, whitelists it and the file protocol, and reads a file: URL', () => {
    const argv = toolArgv('ffprobe', {
      input: { path: '/data/blobs/default/f1', container: mp4 },
      after: ['-of', 'json'],
    });
    expect(argv).toEqual([
      '-hide_banner',
      '-v',
      'error',
      '-f',
      'mp4',
      '-format_whitelist',
      'mov,mp4,m4a,3gp,3g2,mj2',
      '-protocol_whitelist',
      'file',
      '-i',
      'file:/data/blobs/default/f1',
      '-of',
      'json',
    ]);
  });

  it('keeps ffmpeg off stdin and puts input options before -i', () => {
    const argv = toolArgv('ffmpeg', {
      input: { path: '/x/in', container: mp4 },
      before: ['-ss', '1.000'],
      after: ['pipe:1'],
    });
    expect(argv.slice(0, 6)).toEqual(['-hide_banner', '-nostdin', '-v', 'error', '-ss', '1.000']);
    expect(argv.indexOf('-ss')).toBeLessThan(argv.indexOf('-i'));
    expect(argv.at(-1)).toBe('pipe:1');
  });
});
