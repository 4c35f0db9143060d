import { ErrorCode, FileForgeError } from '../errors/index.js';

const MAX_NAME_BYTES = 255;

/**
 * Characters nobody can see or that reorder what they see: controls (Cc), format characters
 * (Cf: zero-width spaces and joiners, word joiners, bidi marks and overrides, soft hyphens,
 * BOMs) and line/paragraph separators. `pay\u200Bpal\u2060.pdf\u200B.exe` would otherwise
 * read as `paypal.pdf.exe` while hiding its real extension from simple checks.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const PICTOGRAPH_BEFORE = /\p{Extended_Pictographic}\uFE0F?$/u;
const PICTOGRAPH_AFTER = /^\p{Extended_Pictographic}/u;

/**
 * Removes {@link INVISIBLE} characters, except a zero-width joiner inside an emoji sequence
 * (`👩‍💻`), which is visible as one glyph and hides nothing.
 */
function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, (ch, offset: number) =>
    ch === '\u200D' &&
    PICTOGRAPH_BEFORE.test(text.slice(0, offset)) &&
    PICTOGRAPH_AFTER.test(text.slice(offset + 1))
      ? ch
      : '',
  );
}

/** True when a client-supplied name contains characters {@link toDisplayName} removes as invisible. */
export function hasInvisibleCharacters(raw: string | undefined | null): boolean {
  const text = String(raw ?? '').normalize('NFC');
  return stripInvisible(text) !== text;
}

/**
 * Turns a client-supplied name into a display name: the last path segment (either slash),
 * Unicode NFC, with invisible characters (controls, format characters such as zero-width
 * spaces, bidi marks) removed, and leading `-`/`.` and trailing dots and spaces trimmed. The result is metadata only — storage paths are always
 * generated — but names that end up empty, or longer than 255 bytes, are refused with
 * `INVALID_FILENAME`.
 */
export function toDisplayName(raw: string | undefined | null): string {
  const segment = String(raw ?? '')
    .split(/[\\/]/)
    .pop()!
    .normalize('NFC');
  // A leading `-` reads as an option to whoever pastes the name into a shell, a leading `.`
  // hides the file (`.htaccess`), a trailing dot or space is dropped by Windows, which then
  // opens another file (security spec H4). None of them is part of what the user named.
  const base = stripInvisible(segment)
    .trim()
    .replace(/^[-.\s]+/u, '')
    .replace(/[.\s]+$/u, '');
  if (base === '') {
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
