export { ErrorCode } from './codes.js';
export { FileForgeError, type FileForgeErrorOptions, toFileForgeError } from './fileforge-error.js';
