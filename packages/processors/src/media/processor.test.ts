import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DerivativeOutput, Forge } from '@fileforge/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { ingestProcessed, useForge } from '../../test/forge.js';
import { ffmpeg, HOSTILE_PLAYLIST, sineWav, testVideo, topLevelBoxes } from '../../test/media-fixtures.js';
import { processorFile } from '../../test/processor-file.js';
import { pngSize } from './image-size.js';
import type { MediaMetadata } from './probe.js';
import { createMediaProcessor } from './processor.js';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function derivativeBytes(forge: Forge, id: string, name: string): Promise<Buffer> {
  return bytesOf((await forge.files.openDerivative(id, name)).stream);
}

const tools = hasBinary('ffmpeg') && hasBinary('ffprobe');

describe.skipIf(!tools)('media processor', { timeout: 60_000 }, () => {
  let dir: string;
  let wav: Buffer;
  let mp4Path: string;
  let smallVideo: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-media-'));
    const [wavPath, mp4, small] = await Promise.all([
      sineWav(dir, 3),
      // Real-sized: 20 s of 720p, a few MB, its index (moov) at the end.
      testVideo(dir, { seconds: 20, size: '1280x720', name: 'big.mp4' }),
      testVideo(dir, { seconds: 2, size: '320x240', rate: 10, name: 'small.mp4' }),
    ]);
    wav = await readFile(wavPath);
    mp4Path = mp4;
    smallVideo = await readFile(small);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('with the default options', () => {
    const forge = useForge(() => ({ processors: [createMediaProcessor()] }));

    it('describes a WAV and draws its waveform', async () => {
      const record = await ingestProcessed(forge(), wav, { name: 'tone.wav' });
      expect(record.status).toBe('processed');
      const media = record.metadata.media as MediaMetadata;
      expect(Math.abs((media.duration ?? 0) - 3)).toBeLessThanOrEqual(0.05);
      expect(media).toMatchObject({
        format: 'wav',
        audio: { codec: 'pcm_s16le', sampleRate: 44_100, channels: 1 },
        video: null,
        tags: { title: 'Concert A', artist: 'Test Tone' },
      });
      const derivatives = await forge().files.derivatives(record.id);
      expect(derivatives).toEqual([
        expect.objectContaining({
          name: 'waveform.png',
          kind: 'waveform',
          mime: 'image/png',
          width: 800,
          height: 200,
        }),
      ]);
      const png = await derivativeBytes(forge(), record.id, 'waveform.png');
      expect(pngSize(png)).toEqual({ width: 800, height: 200 });
      expect((await sharp(png).metadata()).format).toBe('png');
    });

    it('reads a real-sized MP4 whose index sits at the end and takes a 640 px poster', async () => {
      const boxes = await topLevelBoxes(mp4Path);
      expect(boxes.indexOf('moov')).toBeGreaterThan(boxes.indexOf('mdat'));
      const bytes = await readFile(mp4Path);
      expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);

      const record = await ingestProcessed(forge(), bytes, { name: 'clip.mp4' });
      expect(record.status).toBe('processed');
      const media = record.metadata.media as MediaMetadata;
      expect(media.duration).toBeCloseTo(20, 0);
      expect(media).toMatchObject({
        format: 'mp4',
        video: { codec: 'h264', width: 1280, height: 720, fps: 30 },
        audio: { codec: 'aac', sampleRate: 44_100, channels: 1 },
      });
      expect(media.bitrate).toBeGreaterThan(0);
      const [poster, ...others] = await forge().files.derivatives(record.id);
      expect(others).toEqual([]);
      expect(poster).toMatchObject({
        name: 'poster.jpg',
        kind: 'poster',
        mime: 'image/jpeg',
        width: 640,
        height: 360,
      });
      const jpeg = await derivativeBytes(forge(), record.id, 'poster.jpg');
      const decoded = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
      expect(decoded.info).toMatchObject({ width: 640, height: 360 });
      expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
    });

    it('never runs on a text HLS playlist named evil.mp4: it is detected as text', async () => {
      const record = await ingestProcessed(forge(), HOSTILE_PLAYLIST, {
        name: 'evil.mp4',
        declaredType: 'video/mp4',
      });
      expect(record.mime).toBe('text/plain');
      expect(record.status).toBe('processed');
      expect(record.metadata.media).toBeUndefined();
      expect(await forge().files.derivatives(record.id)).toEqual([]);
    });

    it('rejects a truncated MP4, derives nothing, and keeps working', async () => {
      const full = await readFile(mp4Path);
      const truncated = full.subarray(0, Math.floor(full.length * 0.3));
      const record = await ingestProcessed(forge(), truncated, { name: 'cut.mp4' });
      expect(record.mime).toBe('video/mp4');
      expect(record.status).toBe('rejected');
      expect(record.error).toMatchObject({ code: 'CONTENT_REJECTED', details: { reason: 'media_invalid' } });
      expect(await forge().files.derivatives(record.id)).toEqual([]);

      const next = await ingestProcessed(forge(), wav, { name: 'after.wav' });
      expect(next.status).toBe('processed');
      expect((await forge().files.derivatives(next.id)).map((d) => d.name)).toEqual(['waveform.png']);
    });
  });

  describe('limits', () => {
    describe('maxDurationSeconds: 1', () => {
      const forge = useForge(() => ({ processors: [createMediaProcessor({ maxDurationSeconds: 1 })] }));

      it('rejects the 3 s WAV before deriving anything', async () => {
        const record = await ingestProcessed(forge(), wav, { name: 'long.wav' });
        expect(record.status).toBe('rejected');
        expect(record.error).toMatchObject({
          code: 'CONTENT_REJECTED',
          details: { reason: 'media_limits', limit: 1, processor: 'media' },
        });
        expect(await forge().files.derivatives(record.id)).toEqual([]);
      });
    });

    describe('maxWidth/maxHeight: 200', () => {
      const forge = useForge(() => ({
        processors: [createMediaProcessor({ maxWidth: 200, maxHeight: 200 })],
      }));

      it('rejects a 320×240 video before deriving anything', async () => {
        const record = await ingestProcessed(forge(), smallVideo, { name: 'wide.mp4' });
        expect(record.status).toBe('rejected');
        expect(record.error).toMatchObject({
          code: 'CONTENT_REJECTED',
          details: { reason: 'media_limits', actual: { width: 320, height: 240 } },
        });
        expect(await forge().files.derivatives(record.id)).toEqual([]);
      });
    });

    describe('defaults', () => {
      const forge = useForge(() => ({ processors: [createMediaProcessor()] }));

      it('rejects a 5-hour video, judged from the probe alone', async () => {
        const path = join(dir, 'five-hours.mp4');
        // 300 frames at one per minute: tiny and quick to make, yet 5 h long.
        await ffmpeg([
          '-f',
          'lavfi',
          '-i',
          'color=s=16x16:r=1/60:d=18000',
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          path,
        ]);
        const record = await ingestProcessed(forge(), await readFile(path), { name: 'long.mp4' });
        expect(record.status).toBe('rejected');
        expect(record.error).toMatchObject({ details: { reason: 'media_limits', limit: 14_400 } });
        expect(await forge().files.derivatives(record.id)).toEqual([]);
      });
    });
  });

  describe('argv', () => {
    let argvFile: string;
    const forge = useForge(() => ({
      processors: [createMediaProcessor({ ffprobePath: join(dir, 'ffprobe-spy') })],
    }));
    beforeAll(async () => {
      argvFile = join(dir, 'argv.txt');
      const spy = join(dir, 'ffprobe-spy');
      await writeFile(spy, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\nexec ffprobe "$@"\n`);
      await chmod(spy, 0o755);
    });

    it('passes no user-supplied text to ffprobe (security spec D2)', async () => {
      const name = 'concat:/etc/passwd|x.wav';
      const record = await ingestProcessed(forge(), wav, { name, declaredType: 'audio/x-evil' });
      expect(record.status).toBe('processed');
      const argv = (await readFile(argvFile, 'utf8')).trimEnd().split('\n');
      expect(argv.join(' ')).not.toMatch(/concat|passwd|evil/);
      const input = argv[argv.indexOf('-i') + 1] ?? '';
      expect(input).toMatch(/^file:\//);
      expect(argv.slice(argv.indexOf('-f'), argv.indexOf('-f') + 2)).toEqual(['-f', 'wav']);
    });
  });

  describe('on a store without local paths', () => {
    it('copies the content to a temp file and cleans it up', async () => {
      const tempDir = await mkdtemp(join(dir, 'tmp-'));
      const processor = createMediaProcessor({ tempDir });
      const outputs: DerivativeOutput[] = [];
      const context = {
        signal: new AbortController().signal,
        addDerivative: async (output: DerivativeOutput) => {
          outputs.push(output);
          return {} as never;
        },
      };
      const file = processorFile(wav, { mime: 'audio/wav', name: 'tone.wav' });
      expect(file.path).toBeUndefined();
      const result = await processor.process!(file, context);
      expect(result?.metadata).toMatchObject({ format: 'wav', audio: { codec: 'pcm_s16le' } });
      expect(outputs.map((o) => [o.name, o.width, o.height])).toEqual([['waveform.png', 800, 200]]);
      expect(await readdir(tempDir)).toEqual([]);
    });
  });
});
