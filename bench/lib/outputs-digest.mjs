/**
 * What the full-processing children share, in plain JavaScript (they run on bare `node`): one
 * digest over every photo's outputs, so the suite can check that FileForge and the
 * hand-written baseline made the same thumbnails, dominant colours and dHashes.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * SHA-256 over `name thumbnail-sha256 colour phash` lines, sorted by name.
 *
 * @param {{ name: string, thumbnail: string, dominantColour: string, phash: string }[]} outputs
 * @returns {string}
 */
export function outputsDigest(outputs) {
  const lines = outputs
    .map((o) => `${o.name} ${o.thumbnail} ${o.dominantColour} ${o.phash}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(lines).digest('hex');
}
