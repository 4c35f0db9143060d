/**
 * Type families: the coarse kinds people filter a file list by. Decided from the detected
 * MIME type alone, with the same lists the processors are chosen by (`image/*`, `video/*`,
 * `audio/*`; PDF, office and text documents; zip, tar and the other container formats
 * detection names), so a file's family never disagrees with what was extracted from it.
 *
 * @module
 */

/** The families, in the order a filter offers them. `other` is everything the others are not. */
export const TYPE_FAMILIES = ['image', 'video', 'audio', 'document', 'archive', 'other'] as const;

/** A file's coarse kind; see {@link typeFamilyOf}. */
export type TypeFamily = (typeof TYPE_FAMILIES)[number];

/** What makes a family: MIME prefixes (`image/`) and exact types. */
export interface TypeFamilyPattern {
  prefixes: readonly string[];
  exact: readonly string[];
}

/**
 * Every family but `other`, as MIME prefixes and exact types. The catalog turns these into SQL
 * (`mime LIKE 'image/%' OR mime IN (…)`), so the list and {@link typeFamilyOf} cannot drift.
 */
export const TYPE_FAMILY_PATTERNS: Readonly<Record<Exclude<TypeFamily, 'other'>, TypeFamilyPattern>> = {
  image: { prefixes: ['image/'], exact: [] },
  video: { prefixes: ['video/'], exact: ['application/vnd.apple.mpegurl', 'application/x-mpegurl'] },
  audio: { prefixes: ['audio/'], exact: [] },
  document: {
    prefixes: [
      'text/',
      'application/vnd.openxmlformats-officedocument.',
      'application/vnd.oasis.opendocument.',
    ],
    exact: [
      'application/pdf',
      'application/json',
      'application/x-ndjson',
      'application/xml',
      'application/yaml',
      'application/x-subrip',
      'application/rtf',
      'application/epub+zip',
      'application/msword',
      'application/vnd.ms-excel',
      'application/vnd.ms-powerpoint',
      'application/x-cfb',
    ],
  },
  archive: {
    prefixes: [],
    exact: [
      'application/zip',
      'application/x-tar',
      'application/gzip',
      'application/x-bzip2',
      'application/x-xz',
      'application/zstd',
      'application/x-7z-compressed',
      'application/x-rar-compressed',
      'application/vnd.rar',
      'application/x-lzip',
      'application/x-compress',
      'application/x-cpio',
      'application/x-iso9660-image',
      'application/vnd.ms-cab-compressed',
      'application/java-archive',
      'application/vnd.android.package-archive',
      'application/x-xpinstall',
      'application/x-deb',
      'application/x-rpm',
    ],
  },
};

/**
 * The family of a detected MIME type (`image/png` → `image`, `application/zip` → `archive`).
 *
 * @example
 * ```ts
 * typeFamilyOf('application/pdf'); // 'document'
 * ```
 */
export function typeFamilyOf(mime: string): TypeFamily {
  const type = mime.toLowerCase();
  for (const [family, pattern] of Object.entries(TYPE_FAMILY_PATTERNS)) {
    if (pattern.exact.includes(type) || pattern.prefixes.some((prefix) => type.startsWith(prefix))) {
      return family as TypeFamily;
    }
  }
  return 'other';
}
