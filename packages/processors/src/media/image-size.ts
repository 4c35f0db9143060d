/** Width and height of an image in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The size in a PNG's IHDR chunk, or `undefined` when the bytes are not a PNG. */
export function pngSize(data: Uint8Array): ImageSize | undefined {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (
    buf.length < 24 ||
    !buf.subarray(0, 8).equals(PNG_SIGNATURE) ||
    buf.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    return undefined;
  }
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Start-of-frame markers (SOF0–SOF15 without DHT C4, JPG C8 and DAC CC) carry the size. */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** The size in a JPEG's start-of-frame segment, or `undefined` when the bytes are not a JPEG. */
export function jpegSize(data: Uint8Array): ImageSize | undefined {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= buf.length) {
    if (buf[at] !== 0xff) return undefined;
    const marker = buf[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = buf.readUInt16BE(at + 2);
    if (isStartOfFrame(marker)) {
      if (at + 9 > buf.length) return undefined;
      return { height: buf.readUInt16BE(at + 5), width: buf.readUInt16BE(at + 7) };
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) return undefined;
    at += 2 + length;
  }
  return undefined;
}
