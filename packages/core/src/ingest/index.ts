export { DETECTION_HEAD_BYTES, detectType, extensionOf, normalizeMime, TEXT_MIME_TYPES } from './detect.js';
export { toDisplayName } from './filename.js';
