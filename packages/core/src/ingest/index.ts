export { DETECTION_HEAD_BYTES, detectType, extensionOf, normalizeMime, TEXT_MIME_TYPES } from './detect.js';
export { toDisplayName } from './filename.js';
export { bomEncoding, type SniffedEncoding, sniffTextEncoding } from './text-sniff.js';
