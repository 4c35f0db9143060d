/**
 * What a file's record says when processing refuses or fails it. Processors raise errors
 * whose messages are written for operators (a decoder's complaint, a tool's stderr, a
 * processor's exception text); the record, which every API client and the web page show,
 * gets the stable code and reason with a sentence meant for the person who uploaded the
 * file. The original message stays in the server log.
 *
 * @module
 */
import { ErrorCode, type FileForgeError } from '../errors/index.js';

/** A record's `error`: stable `code`, a human `message`, and structured `details` (`reason`, `processor`, …). */
export interface FileFailure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** A human sentence per `details.reason` of `CONTENT_REJECTED` (the reasons of docs/file-format-support.md). */
export const REJECTION_MESSAGES: Readonly<Record<string, string>> = {
  image_too_many_pixels: 'The image declares more pixels than this server accepts.',
  image_corrupt: 'The image does not decode cleanly: it is truncated or damaged.',
  media_invalid: 'The audio or video cannot be read: it is damaged, truncated or not the format it claims.',
  media_limits: 'The audio or video is longer or larger than this server accepts.',
  no_audio: 'The file has no audio stream.',
  no_video: 'The file has no video stream.',
  pdf_invalid: 'The PDF cannot be read: it is damaged or not a PDF.',
  pdf_limits: 'The PDF is larger or more complex than this server accepts.',
  archive_limits: 'The archive holds too many entries or expands far beyond its size.',
  archive_overlap: 'The archive has overlapping entries, a trick used by zip bombs.',
  archive_unsafe_path: 'The archive has an entry whose name escapes the archive folder.',
  archive_symlink: 'The archive contains a symbolic link.',
  archive_invalid: 'The archive is damaged or not the format it claims.',
  trailing_data: 'The archive has unexpected data after its end.',
  xml_doctype: 'The document carries an XML DOCTYPE, which is refused.',
  svg_dtd: 'The SVG carries an XML DOCTYPE, which is refused.',
  svg_encoding: 'The SVG is not valid UTF-8 text.',
  corrupt_document: 'The document cannot be read: it is damaged or incomplete.',
  input_too_large: 'The file is larger than this processor accepts.',
};

const processorOf = (error: FileForgeError) =>
  typeof error.details?.processor === 'string' ? error.details.processor : 'a';

/** Turns a processor's verdict into what the record shows; the error itself goes to the log. */
export function toFileFailure(error: FileForgeError): FileFailure {
  const reason = typeof error.details?.reason === 'string' ? error.details.reason : undefined;
  const message =
    error.code === ErrorCode.CONTENT_REJECTED
      ? ((reason && REJECTION_MESSAGES[reason]) ?? 'The file’s content was refused as unsafe or unreadable.')
      : error.code === ErrorCode.PROCESSOR_TIMEOUT
        ? `Processing took too long and was stopped in the ${processorOf(error)} processor.`
        : `Processing failed in the ${processorOf(error)} processor; the server log has the details.`;
  return { code: error.code, message, ...(error.details ? { details: error.details } : {}) };
}
