const SOI = 0xffd8;
const APP13 = 0xffed;

/**
 * Puts an IPTC block (as sharp's `metadata().iptc` gives it: the `Photoshop 3.0` APP13
 * payload) into a JPEG after its APP0/APP1 segments. libvips carries IPTC only from a JPEG or
 * TIFF source straight to a JPEG output, so outputs made from already-decoded pixels get it
 * back this way. A JPEG that already has an APP13 segment, or a block too large for one
 * segment, is returned unchanged.
 */
export function withIptc(jpeg: Buffer, iptc: Buffer): Buffer {
  if (iptc.length === 0 || iptc.length > 0xffff - 2 || jpeg.readUInt16BE(0) !== SOI) return jpeg;
  let at = 2;
  while (at + 4 <= jpeg.length) {
    const marker = jpeg.readUInt16BE(at);
    if (marker === APP13) return jpeg;
    if (marker !== 0xffe0 && marker !== 0xffe1) break;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(APP13, 0);
  segment.writeUInt16BE(iptc.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, at), segment, iptc, jpeg.subarray(at)]);
}
