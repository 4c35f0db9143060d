import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileForgeError } from '@fileforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { HOSTILE_PLAYLIST, sineWav } from '../../test/media-fixtures.js';
import { parseProbe, probeMedia } from './probe.js';

async function rejection(promise: Promise<unknown>): Promise<FileForgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!FileForgeError.is(error)) throw new Error(`expected a FileForgeError, got ${String(error)}`);
  return error;
}

/** Everything an error could carry to a log or a client, as one string. */
const everything = (error: FileForgeError) =>
  [error.message, JSON.stringify(error.details), String((error.cause as Error | undefined)?.message)].join(
    '\n',
  );

describe('parseProbe', () => {
  it('reads ffprobe JSON, preferring the average frame rate and skipping cover art', () => {
    const probe = parseProbe(
      {
        streams: [
          {
            index: 0,
            codec_type: 'audio',
            codec_name: 'mp3',
            sample_rate: '48000',
            channels: 2,
            tags: { TITLE: 'x' },
          },
          {
            index: 1,
            codec_type: 'video',
            codec_name: 'mjpeg',
            width: 600,
            height: 600,
            disposition: { attached_pic: 1 },
          },
        ],
        format: {
          duration: '61.5',
          bit_rate: '320000',
          size: '2460000',
          tags: { artist: 'A', lyrics: 'long' },
        },
      },
      'mp3',
    );
    expect(probe?.metadata).toEqual({
      duration: 61.5,
      format: 'mp3',
      bitrate: 320_000,
      size: 2_460_000,
      tags: { artist: 'A', title: 'x' },
      video: null,
      audio: { codec: 'mp3', sampleRate: 48_000, channels: 2 },
    });
    expect(probe?.videoStream).toBeUndefined();
    expect(probe?.audioStream).toBe(0);
  });

  it('falls back to stream durations and reads NTSC frame rates', () => {
    const probe = parseProbe(
      {
        streams: [
          {
            index: 0,
            codec_type: 'video',
            codec_name: 'h264',
            width: 1920,
            height: 1080,
            avg_frame_rate: '30000/1001',
            duration: '9.9',
          },
          { index: 1, codec_type: 'audio', codec_name: 'aac', duration: '10.1' },
        ],
        format: { duration: 'N/A' },
      },
      'mpegts',
    );
    expect(probe?.metadata).toMatchObject({ duration: 10.1, bitrate: null, video: { fps: 29.97 } });
    expect(probe?.videoStream).toBe(0);
  });

  it('finds nothing in a file without audio or video streams', () => {
    expect(parseProbe({ streams: [{ index: 0, codec_type: 'data' }], format: {} }, 'mp4')).toBeUndefined();
  });
});

describe.skipIf(!hasBinary('ffprobe'))('probeMedia', { timeout: 30_000 }, () => {
  let dir: string;
  let evil: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-probe-'));
    evil = join(dir, 'evil.mp4');
    await writeFile(evil, HOSTILE_PLAYLIST);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects a text HLS playlist forced through the MP4 demuxer as media_invalid, reading nothing it lists', async () => {
    const error = await rejection(probeMedia({ path: evil, mime: 'video/mp4' }));
    expect(error.code).toBe('CONTENT_REJECTED');
    expect(error.details).toEqual({ reason: 'media_invalid' });
    // ffprobe never opened the listed file: nothing of it is in the message, details or stderr.
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? 'root:';
    expect(everything(error)).not.toContain(passwd);
    expect(everything(error)).not.toMatch(/root:|\/etc\/passwd|hls/i);
  });

  it('rejects the same playlist whatever media type it claims', async () => {
    for (const mime of ['video/webm', 'video/mp2t']) {
      const error = await rejection(probeMedia({ path: evil, mime }));
      expect(error.details, mime).toMatchObject({ reason: 'media_invalid' });
    }
  });

  it('rejects a WAV claimed to be an MP4 as corrupt: binary, but not that container', async () => {
    const wav = await sineWav(dir, 1);
    const error = await rejection(probeMedia({ path: wav, mime: 'video/mp4' }));
    expect(error.details).toEqual({ reason: 'media_invalid' });
    const { metadata } = await probeMedia({ path: wav, mime: 'audio/wav' });
    expect(metadata.duration).toBeCloseTo(1, 1);
    expect((await readFile(wav)).length).toBeGreaterThan(0);
  });

  it('refuses types the media tools do not read, and relative paths', async () => {
    await expect(probeMedia({ path: evil, mime: 'text/plain' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    await expect(probeMedia({ path: 'evil.mp4', mime: 'video/mp4' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
