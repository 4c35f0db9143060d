import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { sineWav } from '../../test/media-fixtures.js';
import { createMediaProcessor, type MediaProcessorMetadata } from './processor.js';

const tools = hasBinary('ffmpeg') && hasBinary('ffprobe');

/** Runs ffmpeg quietly with `args` (overwriting outputs) and expects it to succeed. */
function ffmpeg(...args: string[]): void {
  const run = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args]);
  expect(run.status, String(run.stderr)).toBe(0);
}

describe.skipIf(!tools)('media processor derivatives (issue 9)', { timeout: 60_000 }, () => {
  let dir: string;
  let wav: Buffer;
  let failingFfmpeg: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-derive-'));
    wav = await readFile(await sineWav(dir, 1));
    // An ffmpeg that cannot draw anything: the probe (real ffprobe) succeeds, the waveform fails.
    failingFfmpeg = join(dir, 'ffmpeg');
    await writeFile(failingFfmpeg, '#!/bin/sh\necho "cannot draw" >&2\nexit 1\n');
    await chmod(failingFfmpeg, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const forge = useForge(() => ({ processors: [createMediaProcessor({ ffmpegPath: failingFfmpeg })] }));

  it('records a waveform that cannot be drawn as missing and ends the file processed', async () => {
    const record = await ingestProcessed(forge(), wav, { name: 'tone.wav' });
    expect(record.status).toBe('processed');
    const media = record.metadata.media as MediaProcessorMetadata;
    expect(media).toMatchObject({ format: 'wav', audio: { codec: 'pcm_s16le' } });
    expect(media.missingDerivatives).toEqual([{ name: 'waveform.png', reason: 'media_invalid' }]);
    expect(await forge().files.derivatives(record.id)).toEqual([]);
    // The tool's own words stay in the log.
    expect(JSON.stringify(record)).not.toContain('cannot draw');
  });
});

describe.skipIf(!tools)(
  'media processor: frames past the resolution limit (security spec D3)',
  { timeout: 60_000 },
  () => {
    let dir: string;
    let avi: Buffer;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'fileforge-maxpixels-'));
      // An MJPEG stream of red 16×16 frames with one blue 256×256 frame: the probe sees 16×16 only.
      for (let i = 0; i < 30; i++) {
        const size = i === 3 ? '256x256' : '16x16';
        const color = i === 3 ? 'blue' : 'red';
        const frame = join(dir, `frame${String(i).padStart(2, '0')}.jpg`);
        ffmpeg(
          '-f',
          'lavfi',
          '-i',
          `color=c=${color}:s=${size}`,
          '-frames:v',
          '1',
          '-c:v',
          'mjpeg',
          '-pix_fmt',
          'yuvj420p',
          frame,
        );
      }
      const out = join(dir, 'sizes.avi');
      ffmpeg('-framerate', '25', '-f', 'image2', '-i', join(dir, 'frame%02d.jpg'), '-c:v', 'copy', out);
      avi = await readFile(out);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const forge = useForge(() => ({ processors: [createMediaProcessor({ maxWidth: 64, maxHeight: 64 })] }));

    it('draws the poster of a one-frame clip from its only frame', async () => {
      const one = join(dir, 'one.mp4');
      ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=32x32:d=0.04', '-frames:v', '1', '-pix_fmt', 'yuv420p', one);
      const record = await ingestProcessed(forge(), await readFile(one), { name: 'one.mp4' });
      const media = record.metadata.media as MediaProcessorMetadata;
      expect(media.missingDerivatives ?? []).toEqual([]);
      expect((await forge().files.derivatives(record.id)).map((d) => d.name)).toEqual(['poster.jpg']);
    });

    it('never decodes a later frame larger than maxWidth × maxHeight: the poster skips it', async () => {
      const record = await ingestProcessed(forge(), avi, { name: 'sizes.avi' });
      const media = record.metadata.media as MediaProcessorMetadata;
      expect(media.video).toMatchObject({ width: 16, height: 16 });
      // The poster's instant (0.12 s) is the large blue frame: the decoder refuses it and the
      // poster is the next, red, frame (without the limit it is blue, decoded at full size).
      const poster = await buffer((await forge().files.openDerivative(record.id, 'poster.jpg')).stream);
      const [red, green, blue] = (await sharp(poster).stats()).channels.map((c) => c.mean);
      expect(red).toBeGreaterThan(200);
      expect(blue).toBeLessThan(60);
      expect(green).toBeLessThan(60);
    });
  },
);
