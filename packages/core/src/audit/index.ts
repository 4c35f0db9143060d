/**
 * The audit trail: an append-only, hash-chained record of who did what.
 *
 * @module
 */
export {
  type AuditChainBreak,
  type AuditRow,
  type AuditVerification,
  GENESIS_HASH,
  hashAuditRow,
  verifyAuditChain,
} from './chain.js';
export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditActor,
  type AuditDetails,
  type AuditEntry,
  type AuditInput,
  type AuditTarget,
} from './entry.js';
export { auditMigrations } from './migrations.js';
export { type OpenedAuditTrail, openAuditTrail, openAuditTrailReadOnly } from './open.js';
export { sanitizeDetails } from './redact.js';
export {
  type AuditPage,
  type AuditQuery,
  type AuditRecordOptions,
  type AuditTrail,
  type AuditTrailOptions,
  auditEntryOf,
  auditUnavailable,
  createAuditTrail,
} from './trail.js';
