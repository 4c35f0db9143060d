export type { ApiKeyRecord, RefreshTokenRecord, Role, UserRecord } from './account.js';
export { ROLES } from './account.js';
export type { Classification, ClassificationDecider, ClassificationStatus } from './classification.js';
export type {
  DerivativeRecord,
  Detection,
  FileDamage,
  FileRecord,
  FileStatus,
  JobRecord,
  JobStatus,
} from './file-record.js';
export { FINAL_FILE_STATUSES } from './file-record.js';
export { type FileActor, mayChangeFile, weakerRole } from './ownership.js';
export { TYPE_FAMILIES, TYPE_FAMILY_PATTERNS, type TypeFamily, typeFamilyOf } from './type-family.js';
