import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DerivativeOutput, DerivativeRecord, ProcessorContext } from '@fileforge/core';
import sharp, { type SharpConstructor } from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { processorFile } from '../../test/processor-file.js';
import type { ImageMetadata } from './metadata.js';
import { thumbnail } from './operations.js';
import { dHashFromGrey } from './phash.js';
import { createImageProcessor } from './processor.js';

/**
 * Every sharp pipeline FileForge opens comes from `loadSharp()`: wrap the constructor it
 * returns to record each pipeline's input and which terminal methods ran on it — `metadata`
 * reads the header only, `toBuffer`/`stats`/`toFile` decode.
 */
const pipelines = vi.hoisted(() => [] as { input: unknown; calls: string[] }[]);
vi.mock('./load-sharp.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./load-sharp.js')>();
  const counting = async (): Promise<SharpConstructor> => {
    const real = await actual.loadSharp();
    const wrapped = ((input: unknown, options: unknown) => {
      const instance = real(input as never, options as never) as unknown as Record<string, unknown>;
      const record = { input, calls: [] as string[] };
      pipelines.push(record);
      for (const method of ['metadata', 'toBuffer', 'stats', 'toFile']) {
        const original = (instance[method] as (...args: unknown[]) => unknown).bind(instance);
        instance[method] = (...args: unknown[]) => {
          record.calls.push(method);
          return original(...args);
        };
      }
      return instance;
    }) as unknown as SharpConstructor;
    return Object.assign(wrapped, real);
  };
  return { ...actual, loadSharp: counting };
});

function collectingContext(): ProcessorContext & { derivatives: Map<string, DerivativeOutput> } {
  const derivatives = new Map<string, DerivativeOutput>();
  return {
    signal: new AbortController().signal,
    derivatives,
    async addDerivative(output) {
      derivatives.set(output.name, output);
      return { name: output.name } as DerivativeRecord;
    },
  };
}

/** A detailed photo: a scene with grain, so every output depends on the pixels. */
function photo(width: number, height: number): Promise<Buffer> {
  const scene = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#124"/><stop offset="1" stop-color="#fc8"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/><circle cx="${width / 3}" cy="${height / 2}" r="${height / 3}" fill="#fff" fill-opacity="0.7"/></svg>`;
  const grain = { type: 'gaussian', mean: 128, sigma: 20 } as const;
  return sharp(Buffer.from(scene))
    .composite([
      {
        input: { create: { width, height, channels: 3, background: '#808080', noise: grain } },
        blend: 'overlay',
      },
    ])
    .jpeg({ quality: 85 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Dominant colour and dHash the way they were computed before, from a decode of their own. */
async function analysedSeparately(path: string) {
  const hex = (n: number) => Math.round(n).toString(16).padStart(2, '0');
  const { data, info } = await sharp(path)
    .autoOrient()
    .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const { dominant } = await sharp(data, raw).stats();
  const grey = await sharp(data, raw)
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return {
    dominantColour: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`,
    phash: dHashFromGrey(grey),
  };
}

describe('image processor decoding', () => {
  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-decode-once-'));
    path = join(dir, 'photo.jpg');
    await writeFile(path, await photo(1600, 1200));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const fileAt = (at: string, mime = 'image/jpeg') => ({
    ...processorFile(new Uint8Array(), { mime }),
    path: at,
  });

  it('decodes the image once for every thumbnail, the dominant colour and the dHash', async () => {
    const processor = createImageProcessor({
      thumbnails: [{ size: 64 }, { size: 320, format: 'jpeg' }, { size: 128, format: 'png' }],
    });
    pipelines.length = 0;
    const context = collectingContext();
    const result = await processor.process?.(fileAt(path), context);
    const fromSource = pipelines.filter((p) => p.input === path);
    // One header read (no pixels), one decode; every other pipeline reads our decoded pixels.
    expect(fromSource.map((p) => p.calls)).toEqual([['metadata'], ['toBuffer']]);
    expect(pipelines.length).toBeGreaterThan(2);
    expect([...context.derivatives.keys()]).toEqual([
      'thumbnail-64.webp',
      'thumbnail-320.jpg',
      'thumbnail-128.png',
    ]);
    // Orientation 6: 1600×1200 stored, 1200×1600 displayed.
    expect(context.derivatives.get('thumbnail-320.jpg')).toMatchObject({ width: 240, height: 320 });
    expect(result?.metadata).toMatchObject({ width: 1200, height: 1600, orientation: 6 });
  });

  it('gives the outputs a decode per output gives, with the default thumbnail', async () => {
    pipelines.length = 0;
    const context = collectingContext();
    const result = await createImageProcessor().process?.(fileAt(path), context);
    expect(pipelines.filter((p) => p.input === path && p.calls.includes('toBuffer'))).toHaveLength(1);
    const image = result?.metadata as unknown as ImageMetadata;
    expect({ dominantColour: image.dominantColour, phash: image.phash }).toEqual(
      await analysedSeparately(path),
    );
    const own = await thumbnail(path, { size: 256 });
    const made = context.derivatives.get('thumbnail-256.webp');
    expect(made).toMatchObject({ width: own.info.width, height: own.info.height });
    expect(Buffer.compare(made?.content as Buffer, own.data)).toBe(0);
  });

  it('rasterises an SVG once for its preview, thumbnails and analysis', async () => {
    const svgPath = join(dir, 'drawing.svg');
    await writeFile(
      svgPath,
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#c00"/></svg>',
    );
    pipelines.length = 0;
    const context = collectingContext();
    await createImageProcessor().process?.(fileAt(svgPath, 'image/svg+xml'), context);
    const fromSvg = pipelines.filter(
      (p) => Buffer.isBuffer(p.input) && p.input.toString('latin1').startsWith('<svg'),
    );
    expect(fromSvg.map((p) => p.calls)).toEqual([['metadata'], ['toBuffer']]);
    expect(context.derivatives.get('preview.png')).toMatchObject({ width: 1024, height: 768 });
    expect(context.derivatives.get('thumbnail-256.webp')).toMatchObject({ width: 256, height: 192 });
  });
});
