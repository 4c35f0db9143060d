/**
 * Animated PNG: libvips reads an APNG's default image only and reports one page, so the
 * animation is read from the `acTL` chunk, which must come before the first `IDAT`.
 */

/** How many frames the `acTL` chunk of a PNG announces, or `undefined` when it has none. */
export function apngFrames(head: Uint8Array): number | undefined {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (type === 'acTL' && at + 16 <= bytes.length) return bytes.readUInt32BE(at + 8);
    if (type === 'IDAT' || type === 'IEND') return undefined;
    at += 12 + length;
  }
  return undefined;
}
