import { createId } from '../ids/id.js';
import type { FileRecord, JobRecord } from '../model/index.js';

let clock = Date.parse('2026-01-01T00:00:00Z');

/** The next tick of the suites' shared clock (one second later each call). */
export const tick = () => (clock += 1000);

/** A complete file record for tests; override what matters. */
export function sampleFile(overrides: Partial<FileRecord> = {}): FileRecord {
  tick();
  const id = overrides.id ?? createId(clock);
  const at = new Date(clock).toISOString();
  return {
    id,
    tenant: 'default',
    name: 'report.pdf',
    size: 1234,
    sha256: id.padEnd(64, '0'),
    mime: 'application/pdf',
    ext: 'pdf',
    declaredMime: 'application/pdf',
    typeMismatch: false,
    status: 'pending',
    ownerId: null,
    apiKeyId: null,
    blobKey: `default/${id}`,
    duplicateOf: null,
    error: null,
    metadata: { detection: { mime: 'application/pdf' } },
    path: null,
    category: null,
    classification: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** A complete pending job for tests; override what matters. */
export function sampleJob(overrides: Partial<JobRecord> = {}): JobRecord {
  const at = new Date(tick()).toISOString();
  return {
    id: createId(clock),
    type: 'file.process',
    payload: { fileId: 'x' },
    status: 'pending',
    attempts: 0,
    maxAttempts: 3,
    runAt: at,
    lastError: null,
    key: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
