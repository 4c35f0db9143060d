import type { FileRecord } from '@fileforge/core';

/** Why processing rejected a file, in words, by the `reason` the processors record. */
const REJECTION_REASONS: Record<string, string> = {
  zip_bomb: 'The archive would expand to far more than it holds (a decompression bomb).',
  archive_limits: 'The archive has more entries or expands to more bytes than allowed.',
  archive_symlink: 'The archive contains a link pointing outside itself.',
  archive_overlap: 'The archive’s entries overlap each other, a trick used to hide content.',
  image_too_many_pixels: 'The image has more pixels than allowed (a pixel flood).',
  image_corrupt: 'The image is damaged and cannot be decoded.',
  media_limits: 'The audio or video exceeds the allowed duration, size or streams.',
  media_invalid: 'The audio or video cannot be read: it is damaged, or not what it claims to be.',
  no_video: 'It claims to be a video but holds no video stream.',
  pdf_limits: 'The PDF has more pages or objects than allowed.',
  pdf_invalid: 'The PDF is damaged and cannot be read.',
  input_too_large: 'The content is larger than this kind of file may be.',
  svg_dtd: 'The SVG declares a document type, which can pull in outside content.',
  svg_encoding: 'The SVG uses a text encoding that is not allowed.',
  too_long: 'The content is longer than allowed.',
  empty: 'The file is empty.',
};

/** Error codes in words, for failed files without a more precise reason. */
const CODE_WORDS: Record<string, string> = {
  CONTENT_REJECTED: 'The content was refused as unsafe or unreadable.',
  PROCESSOR_FAILED: 'A processor failed while reading the file.',
  PROCESSOR_TIMEOUT: 'Processing took longer than allowed and was stopped.',
  UNSUPPORTED_MEDIA_TYPE: 'This type of file is not accepted here.',
  FILE_DAMAGED: 'The stored content is missing or no longer matches its checksum.',
};

/** Why a failed or rejected file ended so, in a sentence (never only the code). */
export function problemInWords(error: NonNullable<FileRecord['error']>): string {
  const reason = typeof error.details?.reason === 'string' ? error.details.reason : undefined;
  return (reason && REJECTION_REASONS[reason]) ?? CODE_WORDS[error.code] ?? error.message;
}

interface DetectionFacts {
  mime?: string;
  ext?: string;
  nameExt?: string | null;
  declaredMime?: string | null;
  extensionMismatch?: boolean;
  declaredMismatch?: boolean;
  misleadingName?: boolean;
  hiddenCharacters?: boolean;
}

/**
 * What the type-mismatch flag means for this file, one sentence per finding: what the name
 * or the sender claimed against what the bytes are.
 */
export function mismatchInWords(file: FileRecord): string[] {
  const d = (file.metadata.detection ?? {}) as DetectionFacts;
  const actual = `${d.mime ?? file.mime}${d.ext ? ` (.${d.ext})` : ''}`;
  const out: string[] = [];
  if (d.extensionMismatch) {
    out.push(
      `The name ends in .${d.nameExt ?? '?'} but the content is ${actual}: it was recorded by what it really is.`,
    );
  }
  if (d.declaredMismatch) {
    out.push(
      `The uploader declared it as ${d.declaredMime ?? 'another type'}, but the content is ${actual}.`,
    );
  }
  if (d.misleadingName) {
    out.push(
      'The name shows an extension of another type inside it (like “invoice.pdf.exe”): it is not what it looks like.',
    );
  }
  if (d.hiddenCharacters)
    out.push('The name held invisible characters; they were removed from the displayed name.');
  if (out.length === 0 && file.typeMismatch) {
    out.push(`The name or declared type does not match the content, which is ${actual}.`);
  }
  return out;
}
