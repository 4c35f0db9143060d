/**
 * A small EXIF reader for the handful of tags FileForge records. EXIF is a TIFF structure:
 * a byte-order mark, then linked directories (IFDs) of 12-byte entries whose values sit
 * inline or at an offset. Everything in it is attacker-controlled, so every offset and
 * length is bounds-checked, only two fixed pointers are followed (IFD0 → Exif IFD, IFD0 →
 * GPS IFD; never chains, so no loops), entries per directory and string lengths are
 * capped, and values of the wrong type or out of range are dropped rather than trusted.
 * It never throws: a malformed buffer yields whatever could be read safely.
 */

/** The EXIF facts FileForge keeps, with readable keys. Absent tags are left out. */
export interface ExifData {
  Make?: string;
  Model?: string;
  LensModel?: string;
  /** As written by the camera, `YYYY:MM:DD HH:MM:SS` (local time of the camera). */
  DateTimeOriginal?: string;
  /**
   * `DateTimeOriginal` as ISO 8601 (`2024-05-01T10:20:30`), with the UTC offset when the
   * camera wrote `OffsetTimeOriginal` (`…+02:00`); without it the time zone is unknown.
   */
  takenAt?: string;
  /** Seconds, e.g. `0.004` for 1/250 s. */
  ExposureTime?: number;
  /** The f-number, e.g. `2.8`. */
  FNumber?: number;
  /** ISO speed (PhotographicSensitivity). */
  ISO?: number;
  /** Millimetres. */
  FocalLength?: number;
  /** 1–8, as in TIFF; 1 is upright. */
  Orientation?: number;
  /** Decimal degrees, negative south. */
  GPSLatitude?: number;
  /** Decimal degrees, negative west. */
  GPSLongitude?: number;
  /** Metres, negative below sea level. */
  GPSAltitude?: number;
}

/** At most this many entries are read from one directory (real files have a few dozen). */
export const MAX_IFD_ENTRIES = 256;
const MAX_STRING_BYTES = 256;
const UTF8 = new TextDecoder('utf-8');
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

const TAG = {
  Make: 0x010f,
  Model: 0x0110,
  Orientation: 0x0112,
  ExifIfd: 0x8769,
  GpsIfd: 0x8825,
  ExposureTime: 0x829a,
  FNumber: 0x829d,
  ISO: 0x8827,
  DateTimeOriginal: 0x9003,
  OffsetTimeOriginal: 0x9011,
  FocalLength: 0x920a,
  LensModel: 0xa434,
  GPSLatitudeRef: 0x0001,
  GPSLatitude: 0x0002,
  GPSLongitudeRef: 0x0003,
  GPSLongitude: 0x0004,
  GPSAltitudeRef: 0x0005,
  GPSAltitude: 0x0006,
} as const;

interface Entry {
  type: number;
  count: number;
  /** Offset of the value bytes inside the TIFF data (already bounds-checked). */
  at: number;
}

class TiffReader {
  constructor(
    readonly view: DataView,
    readonly little: boolean,
  ) {}

  u16 = (at: number) => this.view.getUint16(at, this.little);
  u32 = (at: number) => this.view.getUint32(at, this.little);
  fits = (at: number, length: number) => at >= 0 && length >= 0 && at + length <= this.view.byteLength;

  /** The entries of the directory at `offset`, keyed by tag; empty when it is out of bounds. */
  directory(offset: number): Map<number, Entry> {
    const entries = new Map<number, Entry>();
    if (!this.fits(offset, 2)) return entries;
    const count = Math.min(this.u16(offset), MAX_IFD_ENTRIES);
    for (let i = 0; i < count; i++) {
      const base = offset + 2 + i * 12;
      if (!this.fits(base, 12)) break;
      const type = this.u16(base + 2);
      const size = TYPE_SIZES[type];
      const valueCount = this.u32(base + 4);
      if (size === undefined || valueCount === 0) continue;
      const length = size * valueCount;
      const at = length <= 4 ? base + 8 : this.u32(base + 8);
      if (!this.fits(at, Math.min(length, MAX_STRING_BYTES))) continue;
      entries.set(this.u16(base), { type, count: valueCount, at });
    }
    return entries;
  }

  text(entry: Entry | undefined): string | undefined {
    if (entry?.type !== 2) return undefined;
    const length = Math.min(entry.count, MAX_STRING_BYTES);
    const bytes = new Uint8Array(this.view.buffer, this.view.byteOffset + entry.at, length);
    const end = bytes.indexOf(0);
    const raw = UTF8.decode(end === -1 ? bytes : bytes.subarray(0, end));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    const clean = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
    return clean === '' ? undefined : clean;
  }

  /** The `index`-th value of a numeric entry, or undefined when absent or not a number type. */
  number(entry: Entry | undefined, index = 0): number | undefined {
    if (!entry || index >= entry.count) return undefined;
    const size = TYPE_SIZES[entry.type] ?? 0;
    const at = entry.at + index * size;
    if (!this.fits(at, size)) return undefined;
    switch (entry.type) {
      case 1:
      case 7:
        return this.view.getUint8(at);
      case 3:
        return this.u16(at);
      case 4:
        return this.u32(at);
      case 9:
        return this.view.getInt32(at, this.little);
      case 5:
      case 10: {
        const signed = entry.type === 10;
        const num = signed ? this.view.getInt32(at, this.little) : this.u32(at);
        const den = signed ? this.view.getInt32(at + 4, this.little) : this.u32(at + 4);
        return den === 0 ? undefined : num / den;
      }
      default:
        return undefined;
    }
  }
}

const positive = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined);

function takenAt(date: string, offset: string | undefined): string | undefined {
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const probe = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  if (probe.getUTCMonth() !== mo! - 1 || probe.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) {
    return undefined;
  }
  const iso = `${date.slice(0, 10).replaceAll(':', '-')}T${date.slice(11)}`;
  return offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? `${iso}${offset}` : iso;
}

function degrees(tiff: TiffReader, value: Entry | undefined, ref: string | undefined, max: number) {
  if (value?.count !== 3 || (value.type !== 5 && value.type !== 10)) return undefined;
  const [d, m, s] = [0, 1, 2].map((i) => tiff.number(value, i));
  if (d === undefined || m === undefined || s === undefined || d < 0 || m < 0 || s < 0) return undefined;
  const decimal = d + m / 60 + s / 3600;
  if (!Number.isFinite(decimal) || decimal > max) return undefined;
  return ref === 'S' || ref === 'W' ? -decimal : decimal;
}

function readTags(tiff: TiffReader, ifd0: number): ExifData {
  const out: ExifData = {};
  const main = tiff.directory(ifd0);
  const set = <K extends keyof ExifData>(key: K, value: ExifData[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('Make', tiff.text(main.get(TAG.Make)));
  set('Model', tiff.text(main.get(TAG.Model)));
  const orientation = tiff.number(main.get(TAG.Orientation));
  if (orientation !== undefined && Number.isInteger(orientation) && orientation >= 1 && orientation <= 8) {
    set('Orientation', orientation);
  }

  const exifPointer = tiff.number(main.get(TAG.ExifIfd));
  if (exifPointer !== undefined && exifPointer !== ifd0) {
    const exif = tiff.directory(exifPointer);
    set('LensModel', tiff.text(exif.get(TAG.LensModel)));
    const date = tiff.text(exif.get(TAG.DateTimeOriginal));
    if (date !== undefined) {
      set('DateTimeOriginal', date);
      set('takenAt', takenAt(date, tiff.text(exif.get(TAG.OffsetTimeOriginal))));
    }
    set('ExposureTime', positive(tiff.number(exif.get(TAG.ExposureTime))));
    set('FNumber', positive(tiff.number(exif.get(TAG.FNumber))));
    set('ISO', positive(tiff.number(exif.get(TAG.ISO))));
    set('FocalLength', positive(tiff.number(exif.get(TAG.FocalLength))));
  }

  const gpsPointer = tiff.number(main.get(TAG.GpsIfd));
  if (gpsPointer !== undefined && gpsPointer !== ifd0) {
    const gps = tiff.directory(gpsPointer);
    set('GPSLatitude', degrees(tiff, gps.get(TAG.GPSLatitude), tiff.text(gps.get(TAG.GPSLatitudeRef)), 90));
    set(
      'GPSLongitude',
      degrees(tiff, gps.get(TAG.GPSLongitude), tiff.text(gps.get(TAG.GPSLongitudeRef)), 180),
    );
    const altitude = tiff.number(gps.get(TAG.GPSAltitude));
    if (altitude !== undefined && Number.isFinite(altitude)) {
      set('GPSAltitude', tiff.number(gps.get(TAG.GPSAltitudeRef)) === 1 ? -altitude : altitude);
    }
  }
  return out;
}

/**
 * Reads the tags listed in {@link ExifData} from an EXIF block (as sharp's
 * `metadata().exif` returns it, with or without the `Exif\0\0` prefix). Never throws.
 *
 * @example
 * ```ts
 * const { exif } = await sharp(photo).metadata();
 * const { takenAt, GPSLatitude } = exif ? parseExif(exif) : {};
 * ```
 */
export function parseExif(data: Uint8Array): ExifData {
  try {
    let start = 0;
    if (data.length >= 6 && Buffer.from(data.buffer, data.byteOffset, 6).toString('latin1') === 'Exif\0\0') {
      start = 6;
    }
    const view = new DataView(data.buffer, data.byteOffset + start, data.length - start);
    if (view.byteLength < 8) return {};
    const order = view.getUint16(0, false);
    if (order !== 0x4949 && order !== 0x4d4d) return {};
    const tiff = new TiffReader(view, order === 0x4949);
    if (tiff.u16(2) !== 42) return {};
    return readTags(tiff, tiff.u32(4));
  } catch {
    return {}; // unreachable in practice: every read is bounds-checked
  }
}
