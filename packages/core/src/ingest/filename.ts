import { ErrorCode, FileForgeError } from '../errors/index.js';

const MAX_NAME_BYTES = 255;

/**
 * Turns a client-supplied name into a display name: the last path segment (either slash),
 * Unicode NFC, with control and bidi-override characters removed. The result is metadata only
 * — storage paths are always generated — but names that end up empty, or longer than 255
 * bytes, are refused with `INVALID_FILENAME`.
 */
export function toDisplayName(raw: string | undefined | null): string {
  const base = String(raw ?? '')
    .split(/[\\/]/)
    .pop()!
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  if (base === '' || base === '.' || base === '..') {
    throw new FileForgeError(ErrorCode.INVALID_FILENAME, '[fileforge:ingest] A file needs a name', {
      details: { reason: 'empty' },
    });
  }
  if (Buffer.byteLength(base, 'utf8') > MAX_NAME_BYTES) {
    throw new FileForgeError(
      ErrorCode.INVALID_FILENAME,
      `[fileforge:ingest] File names are limited to ${MAX_NAME_BYTES} bytes`,
      {
        details: { reason: 'too_long', limit: MAX_NAME_BYTES },
      },
    );
  }
  return base;
}
