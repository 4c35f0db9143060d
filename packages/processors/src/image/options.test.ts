import { FileForgeError } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { resolveImageOptions } from './options.js';
import { createImageProcessor } from './processor.js';

function configError(make: () => unknown): FileForgeError {
  try {
    make();
  } catch (error) {
    if (FileForgeError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('image processor options', () => {
  it('defaults to one 256 px WebP thumbnail, stripped metadata and a 40 MP cap', () => {
    expect(resolveImageOptions()).toEqual({
      maxPixels: 40_000_000,
      maxDimension: 16_384,
      maxInputBytes: 256 * 1024 * 1024,
      maxSvgBytes: 5 * 1024 * 1024,
      thumbnails: [{ size: 256, format: 'webp', name: 'thumbnail-256.webp' }],
      keepMetadata: false,
      svgPreviewSize: 1024,
    });
  });

  it('fails at construction on bad options, naming the option', () => {
    const cases: [unknown, string][] = [
      [{ maxPixels: 0 }, 'maxPixels'],
      [{ maxPixels: 1.5 }, 'maxPixels'],
      [{ thumbnails: [{ size: 0 }] }, 'thumbnails[0].size'],
      [{ thumbnails: [{ size: 64, format: 'bmp' }] }, 'thumbnails[0].format'],
      [{ thumbnails: [{ size: 64, quality: 101 }] }, 'thumbnails[0].quality'],
      [{ thumbnails: [{ size: 64 }, { size: 64, format: 'webp' }] }, 'thumbnails[1]'],
      [{ thumbnails: 'big' }, 'thumbnails'],
      [{ keepMetadata: 'yes' }, 'keepMetadata'],
      [{ svgPreviewSize: 20_000 }, 'svgPreviewSize'],
    ];
    for (const [options, option] of cases) {
      const error = configError(() => createImageProcessor(options as never));
      expect(error.code, option).toBe('INVALID_CONFIG');
      expect(error.details, option).toEqual({ option });
      expect(error.message).toContain('[fileforge:image]');
    }
  });

  it('accepts no thumbnails at all', () => {
    expect(resolveImageOptions({ thumbnails: [] }).thumbnails).toEqual([]);
  });
});
