import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { type DerivativeOutput, FileForgeError, type ProcessorFile } from '@fileforge/core';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasBinary } from '../../test/binaries.js';
import { ffprobe, sineWav, testVideo } from '../../test/media-fixtures.js';
import { processorFile } from '../../test/processor-file.js';
import { defineOperation, type OperationContext } from './operation.js';
import { createOperationRegistry } from './registry.js';

const BUILT_IN = [
  'document.preview',
  'image.convert',
  'image.resize',
  'image.thumbnail',
  'media.extractAudio',
  'media.posterFrame',
  'media.probe',
  'media.transcode',
  'media.waveform',
];

/** Options each operation refuses: a value of the wrong kind for one of its own options. */
const BAD_OPTIONS: Record<string, [Record<string, unknown>, string]> = {
  'document.preview': [{ size: 4 }, 'size'],
  'image.convert': [{ format: 'bmp' }, 'format'],
  'image.resize': [{ fit: 'inside' }, 'width'],
  'image.thumbnail': [{ size: 0 }, 'size'],
  'media.extractAudio': [{ format: 'mp4' }, 'format'],
  'media.posterFrame': [{ width: 'wide' }, 'width'],
  'media.probe': [{ maxDurationSeconds: -1 }, 'maxDurationSeconds'],
  'media.transcode': [{ format: 'mp4', maxOutputBytes: 1.5 }, 'maxOutputBytes'],
  'media.waveform': [{ height: 100_000 }, 'height'],
};

/** Options each operation accepts (its required ones). */
const GOOD_OPTIONS: Record<string, Record<string, unknown>> = {
  'image.convert': { format: 'png' },
  'image.resize': { width: 10 },
  'image.thumbnail': { size: 10 },
  'media.extractAudio': { format: 'mp3' },
  'media.transcode': { format: 'mp4' },
};

const context = (): OperationContext => ({ signal: new AbortController().signal });

/** A file whose content must never be read: options are checked before any work. */
function untouchable(mime: string): ProcessorFile {
  const file = processorFile(new Uint8Array(), { mime });
  return {
    ...file,
    path: '/nonexistent/never-read',
    open: async () => {
      throw new Error('the file was read before the options were validated');
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<FileForgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!FileForgeError.is(error)) throw new Error(`expected a FileForgeError, got ${String(error)}`);
  return error;
}

/** The shape every derivative has, whichever family made it. */
function expectDerivative(d: DerivativeOutput | undefined, expected: Partial<DerivativeOutput>) {
  expect(d).toMatchObject(expected);
  expect(d?.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
  expect(typeof d?.kind).toBe('string');
  expect(d?.mime).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
  expect(Buffer.isBuffer(d?.content) || d?.content instanceof Readable).toBe(true);
}

const bytesOf = async (d: DerivativeOutput | undefined) =>
  Buffer.isBuffer(d?.content) ? d.content : buffer(d?.content as Readable);

describe('operation registry', { timeout: 60_000 }, () => {
  const registry = createOperationRegistry();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-operations-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists every built-in operation by name, and iterates over them in that order', () => {
    expect(registry.names()).toEqual(BUILT_IN);
    expect(Object.keys(BAD_OPTIONS).sort()).toEqual(BUILT_IN);
    expect([...registry].map((operation) => operation.name)).toEqual(BUILT_IN);
  });

  it.each(BUILT_IN)('%s validates its options with its zod schema before doing anything', async (name) => {
    const operation = registry.get(name);
    expect(operation?.options).toBeInstanceOf(z.ZodType);
    const mime = name.startsWith('image')
      ? 'image/png'
      : name.startsWith('media')
        ? 'video/mp4'
        : 'application/pdf';
    const [bad, option] = BAD_OPTIONS[name]!;
    const wrong = await failure(registry.run(name, untouchable(mime), bad, context()));
    expect(wrong.code).toBe('VALIDATION_FAILED');
    expect(wrong.details?.option).toBe(option);
    const sneaky = { ...GOOD_OPTIONS[name], ffmpegPath: '/bin/sh' };
    const unknown = await failure(registry.run(name, untouchable(mime), sneaky, context()));
    expect(unknown).toMatchObject({ code: 'VALIDATION_FAILED', details: { option: 'ffmpegPath' } });
  });

  it('refuses an unknown operation name and a second operation of the same name', async () => {
    const error = await failure(registry.run('image.sharpen', untouchable('image/png'), {}, context()));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { operation: 'image.sharpen' } });
    const custom = defineOperation({
      name: 'text.count',
      options: z.strictObject({ min: z.int().min(1).default(1) }),
      async run(file) {
        return { metadata: { bytes: file.record.size } };
      },
    });
    registry.register(custom);
    expect(await registry.run('text.count', processorFile(Buffer.from('abc')), {}, context())).toEqual({
      metadata: { bytes: 3 },
    });
    expect(() => registry.register(custom)).toThrow(/already registered/);
  });

  it('image.thumbnail returns the thumbnail as a named derivative, by path or by stream', async () => {
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#0a0' } })
      .png()
      .toBuffer();
    const path = join(dir, 'green.png');
    await writeFile(path, png);
    for (const file of [
      { ...processorFile(png, { mime: 'image/png' }), path },
      processorFile(png, { mime: 'image/png' }),
    ]) {
      const result = await registry.run('image.thumbnail', file, { size: 100 }, context());
      expect(result.metadata).toMatchObject({ format: 'webp', width: 100, height: 75 });
      expect(result.derivatives).toHaveLength(1);
      const [thumb] = result.derivatives ?? [];
      expectDerivative(thumb, {
        name: 'thumbnail-100.webp',
        kind: 'thumbnail',
        mime: 'image/webp',
        width: 100,
      });
      expect((await sharp(await bytesOf(thumb)).metadata()).width).toBe(100);
    }
    const named = await registry.run(
      'image.convert',
      processorFile(png, { mime: 'image/png' }),
      {
        format: 'jpeg',
        name: 'copy.jpg',
      },
      context(),
    );
    expectDerivative(named.derivatives?.[0], { name: 'copy.jpg', kind: 'rendition', mime: 'image/jpeg' });
  });

  describe.skipIf(!hasBinary('pdftoppm'))('document.preview', () => {
    it('returns page 1 as a PNG derivative of the same shape', async () => {
      const pdf = writePdf();
      const result = await registry.run(
        'document.preview',
        processorFile(pdf, { mime: 'application/pdf' }),
        {
          size: 200,
        },
        context(),
      );
      expect(result.metadata).toEqual({ preview: 'preview-1.png' });
      expectDerivative(result.derivatives?.[0], {
        name: 'preview-1.png',
        kind: 'preview',
        mime: 'image/png',
      });
      expect(Math.max(result.derivatives?.[0]?.width ?? 0, result.derivatives?.[0]?.height ?? 0)).toBe(200);
    });
  });

  describe.skipIf(!(hasBinary('ffmpeg') && hasBinary('ffprobe')))('media', () => {
    let video: ProcessorFile;
    let wav: ProcessorFile;
    beforeAll(async () => {
      const [videoPath, wavPath] = await Promise.all([
        testVideo(dir, { seconds: 2, size: '320x240', rate: 10 }),
        sineWav(dir, 2),
      ]);
      video = { ...processorFile(new Uint8Array(), { mime: 'video/mp4' }), path: videoPath };
      wav = { ...processorFile(new Uint8Array(), { mime: 'audio/wav' }), path: wavPath };
    }, 60_000);

    it('media.posterFrame and media.waveform return images in the same shape as image.thumbnail', async () => {
      const poster = await registry.run('media.posterFrame', video, { atSeconds: 1, width: 160 }, context());
      expectDerivative(poster.derivatives?.[0], {
        name: 'poster.jpg',
        kind: 'poster',
        mime: 'image/jpeg',
        width: 160,
        height: 120,
      });
      const wave = await registry.run('media.waveform', wav, { width: 300, height: 60 }, context());
      expectDerivative(wave.derivatives?.[0], {
        name: 'waveform.png',
        kind: 'waveform',
        width: 300,
        height: 60,
      });
      const probe = await registry.run('media.probe', video, {}, context());
      expect(probe.derivatives).toBeUndefined();
      expect(probe.metadata).toMatchObject({ format: 'mp4', video: { width: 320, height: 240 } });
    });

    it('media.transcode returns the encoded file as a stream, and its scratch space goes once read', async () => {
      const scratch = join(dir, 'scratch');
      await rm(scratch, { recursive: true, force: true });
      await mkdir(scratch);
      const result = await registry.run(
        'media.extractAudio',
        video,
        { format: 'mp3' },
        {
          ...context(),
          tempDir: scratch,
        },
      );
      expect(result.metadata).toMatchObject({ format: 'mp3' });
      const [audio] = result.derivatives ?? [];
      expectDerivative(audio, { name: 'audio.mp3', kind: 'audio', mime: 'audio/mpeg' });
      expect(await readdir(scratch)).toHaveLength(1);
      const out = join(dir, 'extracted.mp3');
      await writeFile(out, await bytesOf(audio));
      expect((await ffprobe(out)).streams.map((s) => s.codec_name)).toEqual(['mp3']);
      for (let i = 0; i < 100 && (await readdir(scratch)).length > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await readdir(scratch)).toEqual([]);

      const failed = await failure(
        registry.run(
          'media.transcode',
          wav,
          { format: 'webm', videoCodec: 'h264' },
          { ...context(), tempDir: scratch },
        ),
      );
      expect(failed).toMatchObject({ code: 'VALIDATION_FAILED', details: { option: 'videoCodec' } });
      expect(await readdir(scratch)).toEqual([]);
      expect(existsSync(join(scratch, 'output.webm'))).toBe(false);
    });
  });
});
