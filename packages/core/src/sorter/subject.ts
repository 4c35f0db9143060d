import type { FileRecord } from '../model/file-record.js';

/** What rules look at: built from a {@link FileRecord} or from a file on disk. */
export interface SortSubject {
  /** The file id, or the path for `fileforge sort DIR`. */
  id: string;
  /** Display name including its extension, e.g. `report.pdf`. */
  name: string;
  /** Detected canonical extension without a dot (`pdf`); `''` if none. */
  ext: string;
  /**
   * The name's own extension (without a dot, as written) when it fits the detected type
   * (`photo.JPEG` of a JPEG → `JPEG`); templates keep it, so `{name}{ext}` gives back the name
   * people know. Unset when the name has none or it does not fit (then `{ext}` is the detected one).
   */
  nameExt?: string;
  /** Detected MIME type (never the client's claim). */
  mime: string;
  size: number;
  sha256: string;
  /** ISO 8601. */
  createdAt: string;
  uploadedBy: string | null;
  /** How the file arrived: `upload`, `sdk`, `cli`, `watch`, `folder`, … */
  source: string;
  /** Extracted text (`''` if none). */
  text: string;
  metadata: Record<string, unknown>;
  /** Current category, if known. */
  category?: string | null;
}

/** Processors whose `metadata.<name>.text` holds extracted text, in the order they are trusted. */
const TEXT_KEYS = ['pdf', 'office', 'ocr', 'document'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Finds the extracted text a processor stored in a record's metadata: `metadata.pdf.text`,
 * `metadata.office.text` (then any other processor's string `text`), else the text
 * processor's `metadata.text.excerpt` (plain-text files keep only their start).
 *
 * @returns the text, or `''` when no processor stored any
 */
export function extractedText(metadata: Record<string, unknown>): string {
  for (const key of TEXT_KEYS) {
    const entry = metadata[key];
    if (isRecord(entry) && typeof entry.text === 'string' && entry.text !== '') return entry.text;
  }
  for (const [key, entry] of Object.entries(metadata)) {
    if (key === 'text' || !isRecord(entry)) continue;
    if (typeof entry.text === 'string' && entry.text !== '') return entry.text;
  }
  const plain = metadata.text;
  if (isRecord(plain) && typeof plain.excerpt === 'string') return plain.excerpt;
  return '';
}

/** Options for {@link subjectFromRecord}. */
export interface SubjectFromRecordOptions {
  /**
   * How the file arrived, when the record does not say.
   * @default 'upload'
   */
  source?: string;
}

/**
 * Builds the {@link SortSubject} rules see for a catalog record. `text` overrides the text
 * found in the record's metadata (see {@link extractedText}); `uploadedBy` is the owning
 * user, else the API key the file came through.
 *
 * @example
 * ```ts
 * const decision = await decide(subjectFromRecord(record), rules);
 * ```
 */
export function subjectFromRecord(
  record: Pick<
    FileRecord,
    | 'id'
    | 'name'
    | 'ext'
    | 'typeMismatch'
    | 'metadata'
    | 'mime'
    | 'size'
    | 'sha256'
    | 'createdAt'
    | 'ownerId'
    | 'apiKeyId'
    | 'category'
  >,
  text?: string,
  options: SubjectFromRecordOptions = {},
): SortSubject {
  // Ingest records where a file came in (`upload`, `sdk`, `watch`, …) in its metadata.
  const recorded = typeof record.metadata.source === 'string' ? record.metadata.source : undefined;
  const nameExt = record.typeMismatch ? undefined : fittingNameExt(record.name, record.metadata.detection);
  return {
    id: record.id,
    name: record.name,
    ext: record.ext,
    ...(nameExt ? { nameExt } : {}),
    mime: record.mime,
    size: record.size,
    sha256: record.sha256,
    createdAt: record.createdAt,
    uploadedBy: record.ownerId ?? record.apiKeyId ?? null,
    source: options.source ?? recorded ?? 'upload',
    text: text ?? extractedText(record.metadata),
    metadata: record.metadata,
    category: record.category ?? null,
  };
}

/**
 * The extension as written at the end of `name`, when detection found it fitting (its
 * lower-cased `nameExt` with no `extensionMismatch`).
 */
export function fittingNameExt(name: string, detection: unknown): string | undefined {
  if (!isRecord(detection) || detection.extensionMismatch === true) return undefined;
  const nameExt = detection.nameExt;
  if (typeof nameExt !== 'string' || nameExt === '') return undefined;
  const written = name.slice(name.length - nameExt.length - 1);
  return written.toLowerCase() === `.${nameExt.toLowerCase()}` ? written.slice(1) : undefined;
}
