import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { ffprobe, isRunning, sineWav, testVideo } from '../../test/media-fixtures.js';
import type { MediaInput } from './input.js';
import { extractAudio, posterFrame, transcode } from './operations.js';

const tools = hasBinary('ffmpeg') && hasBinary('ffprobe');

describe.skipIf(!tools)('media operations', { timeout: 60_000 }, () => {
  let dir: string;
  let wav: MediaInput;
  let video: MediaInput;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-media-ops-'));
    const [wavPath, videoPath] = await Promise.all([
      sineWav(dir, 3),
      testVideo(dir, { seconds: 4, size: '320x240', rate: 10 }),
    ]);
    wav = { path: wavPath, mime: 'audio/wav' };
    video = { path: videoPath, mime: 'video/mp4' };
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const leftovers = async () => (await readdir(dir)).filter((name) => name.endsWith('.part'));

  it('transcodes a WAV to MP3', async () => {
    const output = join(dir, 'tone.mp3');
    const result = await transcode(wav, { output, format: 'mp3' });
    expect(result).toMatchObject({ path: output, format: 'mp3' });
    expect(result.size).toBeGreaterThan(1000);
    const probe = await ffprobe(output);
    expect(probe.format.format_name).toBe('mp3');
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['mp3']);
    expect(Number(probe.format.duration)).toBeCloseTo(3, 0);
    expect(Math.abs(Number(probe.format.duration) - 3)).toBeLessThan(0.1);
    expect(await leftovers()).toEqual([]);
  });

  it('extracts the audio of an MP4', async () => {
    const output = join(dir, 'sound.ogg');
    await extractAudio(video, { output, format: 'ogg' });
    const probe = await ffprobe(output);
    expect(probe.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([['audio', 'vorbis']]);
    expect(Math.abs(Number(probe.format.duration) - 4)).toBeLessThan(0.2);
  });

  it('takes a poster frame at 2 s, scaled to the width asked for', async () => {
    const frame = await posterFrame(video, { atSeconds: 2, width: 160 });
    expect(frame).toMatchObject({ mime: 'image/jpeg', width: 160, height: 120 });
    const decoded = await sharp(frame.data).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width: 160, height: 120 });
    // testsrc2 moves: the frame at 2 s is not the first one.
    const first = await posterFrame(video, { width: 160 });
    expect(first.data.equals(frame.data)).toBe(false);
  });

  it('refuses bad arguments before starting anything', async () => {
    const output = join(dir, 'x.out');
    await expect(transcode(wav, { output, format: 'avi' as never })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { option: 'format' },
    });
    await expect(transcode(video, { output, format: 'webm', videoCodec: 'h264' })).rejects.toThrow(
      /videoCodec "h264" cannot be written to webm; use one of: vp9, vp8, av1/,
    );
    await expect(transcode(wav, { output: 'relative.mp3', format: 'mp3' })).rejects.toMatchObject({
      details: { option: 'output' },
    });
    await expect(extractAudio(video, { output, format: 'mp4' as never })).rejects.toThrow(
      /not an audio format/,
    );
    await expect(posterFrame(video, { atSeconds: 10 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(posterFrame(wav, { atSeconds: 1 })).rejects.toMatchObject({
      details: { reason: 'no_video' },
    });
  });

  it('checks the limits from the probe and writes nothing past them', async () => {
    const output = join(dir, 'limited.mp3');
    await expect(transcode(wav, { output, format: 'mp3', maxDurationSeconds: 1 })).rejects.toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason: 'media_limits' },
    });
    await expect(posterFrame(video, { maxWidth: 100 })).rejects.toMatchObject({
      details: { reason: 'media_limits' },
    });
    expect(existsSync(output)).toBe(false);
  });

  it('leaves neither the output nor a .part file when the encode is aborted', async () => {
    const output = join(dir, 'aborted.mp3');
    const controller = new AbortController();
    const pids: number[] = [];
    const run = transcode(
      wav,
      { output, format: 'mp3' },
      {
        signal: controller.signal,
        onSpawn: (pid) => {
          pids.push(pid);
          // The second tool is ffmpeg encoding: stop it as soon as it starts.
          if (pids.length === 2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(pids).toHaveLength(2);
    expect(pids.some(isRunning)).toBe(false);
    expect(existsSync(output)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('kills a run past its timeout', async () => {
    await expect(
      transcode(wav, { output: join(dir, 'late.mp3'), format: 'mp3' }, { timeoutMs: 1 }),
    ).rejects.toMatchObject({ code: 'PROCESSOR_TIMEOUT', details: { tool: 'ffprobe', failure: 'timeout' } });
  });
});
