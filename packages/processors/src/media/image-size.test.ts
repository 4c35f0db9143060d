import { describe, expect, it } from 'vitest';
import { jpegSize, pngSize } from './image-size.js';

describe('image sizes', () => {
  it('reads a PNG header', () => {
    const png = Buffer.alloc(24);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(800, 16);
    png.writeUInt32BE(200, 20);
    expect(pngSize(png)).toEqual({ width: 800, height: 200 });
    expect(pngSize(png.subarray(0, 20))).toBeUndefined();
  });

  it('reads a JPEG start-of-frame after other segments', () => {
    const app0 = [0xff, 0xe0, 0x00, 0x04, 0x00, 0x00];
    const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x68, 0x02, 0x80, 0x03];
    const jpeg = Buffer.from([0xff, 0xd8, ...app0, ...sof0, ...Array(12).fill(0)]);
    expect(jpegSize(jpeg)).toEqual({ width: 640, height: 360 });
    expect(jpegSize(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toBeUndefined();
    expect(jpegSize(Buffer.from('not a jpeg'))).toBeUndefined();
  });
});
