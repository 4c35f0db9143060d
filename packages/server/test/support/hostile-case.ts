/**
 * The shape of one row of the hostile-input catalogue (security spec sections A, H, I and
 * K1–K3) and the two servers the rows run against.
 *
 * @module
 */
import type { StartServerOptions } from '../../src/node.js';
import type { CaseOutcome } from './hostile-requests.js';
import type { TestServer } from './server.js';

/** Per-file cap of the catalogue's servers: small, so oversize bodies cost little. */
export const LIMIT = 1024 * 1024;

/** Slow-client deadlines short enough for a test, long enough for a loaded machine's normal requests. */
export const MAIN_SERVER: Partial<StartServerOptions> = {
  maxFilesPerRequest: 1,
  headersTimeoutMs: 1000,
  uploadIdleTimeoutMs: 1000,
  requestBodyTimeoutMs: 1000,
  maxConnectionsPerClient: 8,
};

/** The loopback address the rate-limited server believes `X-Forwarded-For` from (K2). */
export const TRUSTED_PROXY = '127.0.0.5';

/** The default rate limit, for the K rows; everything else runs unthrottled. */
export const LIMITED_SERVER: Partial<StartServerOptions> = {
  rateLimit: '100 per minute',
  trustedProxies: [TRUSTED_PROXY],
};

/** One attack from the catalogue and what FileForge must answer. */
export interface HostileCase {
  /** Spec id (`A2`, `H3`, …). */
  id: string;
  attack: string;
  /** Status and stable error code; `code: null` where Node itself answers before FileForge sees the request. */
  expected: { status: number | 'closed'; code: string | null };
  /** The server the row runs against. @default 'main' */
  server?: 'main' | 'limited';
  /** A deeper test of the same case elsewhere (timing, fuzzing, unit level). */
  seeAlso?: string;
  /** Mounts the attack and reports what came back; may assert details of its own. */
  run(server: TestServer): Promise<CaseOutcome>;
}
