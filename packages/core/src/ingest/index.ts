export { DETECTION_HEAD_BYTES, detectType, extensionOf, normalizeMime } from './detect.js';
export { toDisplayName } from './filename.js';
