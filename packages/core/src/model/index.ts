export type {
  DerivativeRecord,
  Detection,
  FileRecord,
  FileStatus,
  JobRecord,
  JobStatus,
} from './file-record.js';
export { FINAL_FILE_STATUSES } from './file-record.js';
