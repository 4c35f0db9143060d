import { dms, exifBlock, type TiffEntry } from '@fileforge/test-fixtures/images';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MAX_IFD_ENTRIES, parseExif } from './exif.js';

const camera: TiffEntry[] = [
  { tag: 0x010f, type: 2, value: 'FileForge' },
  { tag: 0x0110, type: 2, value: 'TestCam' },
  { tag: 0x0112, type: 3, value: [6] },
];
const shot: TiffEntry[] = [
  { tag: 0x9003, type: 2, value: '2024:05:01 10:20:30' },
  { tag: 0x829a, type: 5, value: [[1, 250]] },
  { tag: 0x829d, type: 5, value: [[28, 10]] },
  { tag: 0x8827, type: 3, value: [400] },
  { tag: 0x920a, type: 5, value: [[35, 1]] },
  { tag: 0xa434, type: 2, value: 'Prime 35mm' },
];
const berlinSouthWest: TiffEntry[] = [
  { tag: 0x0001, type: 2, value: 'S' },
  { tag: 0x0002, type: 5, value: dms(52.520008) },
  { tag: 0x0003, type: 2, value: 'W' },
  { tag: 0x0004, type: 5, value: dms(13.404954) },
  { tag: 0x0005, type: 1, value: [1] },
  { tag: 0x0006, type: 5, value: [[125, 10]] },
];

describe('parseExif', () => {
  it('reads the tags a camera writes, in either byte order', () => {
    for (const little of [true, false]) {
      const exif = parseExif(exifBlock({ ifd0: camera, exif: shot, gps: berlinSouthWest }, little));
      expect(exif).toEqual({
        Make: 'FileForge',
        Model: 'TestCam',
        Orientation: 6,
        DateTimeOriginal: '2024:05:01 10:20:30',
        takenAt: '2024-05-01T10:20:30',
        ExposureTime: 0.004,
        FNumber: 2.8,
        ISO: 400,
        FocalLength: 35,
        LensModel: 'Prime 35mm',
        GPSLatitude: expect.closeTo(-52.520008, 4),
        GPSLongitude: expect.closeTo(-13.404954, 4),
        GPSAltitude: -12.5,
      });
    }
  });

  it('reads what sharp writes, with the Exif prefix and the time zone offset', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'FileForge', Model: 'TestCam' },
        IFD2: { DateTimeOriginal: '2024:05:01 10:20:30', OffsetTimeOriginal: '+02:00' },
      })
      .toBuffer();
    const { exif } = await sharp(jpeg).metadata();
    expect(parseExif(exif!)).toMatchObject({
      Make: 'FileForge',
      Model: 'TestCam',
      takenAt: '2024-05-01T10:20:30+02:00',
    });
  });

  it('leaves out impossible values instead of trusting them', () => {
    const exif = parseExif(
      exifBlock({
        ifd0: [
          { tag: 0x0112, type: 3, value: [9] }, // orientation out of range
          { tag: 0x010f, type: 3, value: [1] }, // Make with the wrong type
        ],
        exif: [
          { tag: 0x9003, type: 2, value: '2024:02:30 25:00:00' }, // no such date
          { tag: 0x829d, type: 5, value: [[28, 0]] }, // division by zero
          { tag: 0x8827, type: 3, value: [0] },
        ],
        gps: [
          {
            tag: 0x0002,
            type: 5,
            value: [
              [95, 1],
              [0, 1],
              [0, 1],
            ],
          },
        ], // latitude > 90
      }),
    );
    expect(exif).toEqual({ DateTimeOriginal: '2024:02:30 25:00:00' });
  });

  it('strips control characters and caps strings', () => {
    const exif = parseExif(
      exifBlock({ ifd0: [{ tag: 0x010f, type: 2, value: `Ev\u0007il\r\n${'x'.repeat(1000)}` }] }),
    );
    // 256 bytes are read (7 of "Ev<BEL>il<CR><LF>" and 249 x); the 3 control characters go.
    expect(exif.Make).toBe(`Evil${'x'.repeat(249)}`);
  });

  describe('on malformed input (never throws, never hangs)', () => {
    const valid = exifBlock({ ifd0: camera, exif: shot, gps: berlinSouthWest });

    it('returns nothing for empty, foreign or headless data', () => {
      for (const data of [
        Buffer.alloc(0),
        Buffer.from('Exif\0\0'),
        Buffer.from('not exif at all'),
        Buffer.from('II*\0'),
        Buffer.from('MM\0+\0\0\0\x08'),
      ]) {
        expect(parseExif(data)).toEqual({});
      }
    });

    it('reads every truncation of a valid block without throwing', () => {
      for (let length = 0; length <= valid.length; length++) {
        expect(() => parseExif(valid.subarray(0, length))).not.toThrow();
      }
      expect(parseExif(valid.subarray(0, 40))).toEqual({}); // IFD0 cut inside its entries: Make's value is past the end
    });

    it('does not loop on directories that point at themselves or at each other', () => {
      const block = exifBlock({ ifd0: camera, exif: shot, gps: berlinSouthWest });
      const view = new DataView(block.buffer, block.byteOffset + 6);
      // Point the Exif and GPS pointers back at IFD0 (offset 8) and the "next IFD" link too.
      const count = view.getUint16(8, true);
      for (let i = 0; i < count; i++) {
        const base = 8 + 2 + i * 12;
        const tag = view.getUint16(base, true);
        if (tag === 0x8769 || tag === 0x8825) view.setUint32(base + 8, 8, true);
      }
      view.setUint32(8 + 2 + count * 12, 8, true);
      const started = performance.now();
      expect(parseExif(block)).toMatchObject({ Make: 'FileForge', Model: 'TestCam' });
      expect(performance.now() - started).toBeLessThan(500);
    });

    it('caps entry counts and ignores huge value counts and offsets past the end', () => {
      const block = Buffer.alloc(6 + 8 + 2 + 12 * 3);
      block.write('Exif\0\0II', 0, 'latin1');
      const view = new DataView(block.buffer, block.byteOffset + 6);
      view.setUint16(2, 42, true);
      view.setUint32(4, 8, true);
      view.setUint16(8, 0xffff, true); // claims 65535 entries, holds 3
      const entry = (i: number, tag: number, type: number, count: number, value: number) => {
        const base = 10 + i * 12;
        view.setUint16(base, tag, true);
        view.setUint16(base + 2, type, true);
        view.setUint32(base + 4, count, true);
        view.setUint32(base + 8, value, true);
      };
      entry(0, 0x010f, 2, 0xffffffff, 20); // Make: 4 GiB of ASCII at a real offset
      entry(1, 0x0110, 2, 16, 0xfffffff0); // Model: offset past the end
      entry(2, 0x8769, 4, 1, 0xffffffff); // Exif IFD pointer past the end
      const started = performance.now();
      const exif = parseExif(block);
      expect(performance.now() - started).toBeLessThan(500);
      expect(exif.Model).toBeUndefined();
      expect((exif.Make ?? '').length).toBeLessThanOrEqual(256);
      expect(MAX_IFD_ENTRIES).toBeLessThan(0xffff);
    });

    it('survives thousands of randomly corrupted blocks', () => {
      let seed = 42;
      const random = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x7fffffff;
      };
      const started = performance.now();
      const thrown: unknown[] = [];
      for (let round = 0; round < 3000; round++) {
        const copy = Buffer.from(valid);
        for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) {
          copy[6 + Math.floor(random() * (copy.length - 6))] = Math.floor(random() * 256);
        }
        try {
          parseExif(copy);
        } catch (error) {
          thrown.push(error);
        }
      }
      expect(thrown).toEqual([]);
      expect(performance.now() - started).toBeLessThan(5000);
    });
  });
});
