import { resolve } from 'node:path';
import type { z } from 'zod';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type Env, envSchema } from './env-schema.js';

/**
 * Resolved FileForge configuration: what the server and CLI start with. SDK users pass the
 * same fields (all optional) to `createForge()`.
 */
export interface ForgeConfig {
  host: string;
  port: number;
  debug: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** Directory that holds the SQLite catalog and generated secrets. */
  dataDir: string;
  /** Root of the blob store (originals and derivatives). */
  uploadFolder: string;
  /** Root of the sorted tree (used by the sorter). */
  sortedFolder: string;
  /** `sqlite:<path>` (embedded default) or `postgresql://…`. */
  databaseUrl: string;
  /** Per-file size cap in bytes. */
  maxFileSize: number;
  /** Most files accepted in one multipart request. */
  maxFilesPerRequest: number;
  /** Jobs run at once. */
  maxWorkers: number;
  /** Attempts per job before it is marked failed. */
  jobMaxAttempts: number;
  /** How long shutdown waits for running jobs before leaving them to be requeued. */
  shutdownGraceMs: number;
  /** Detected types accepted; `undefined` accepts every type. */
  allowedFileTypes: string[] | undefined;
  /** Whether identical content within a tenant is stored once and shared. */
  dedupeStoreOnce: boolean;
  allowedOrigins: string[];
  /** Hosts, IPs and CIDR networks outbound requests may reach despite the SSRF guard (`WEBHOOK_ALLOWED_HOSTS`). */
  webhookAllowedHosts: string[];
  /** Whether outbound requests to user-supplied URLs must use https (`WEBHOOK_REQUIRE_HTTPS`). */
  webhookRequireHttps: boolean;
  env: Env;
}

/** Variables whose values are secrets: a bad one is named, never echoed. */
const SECRET_VARIABLES = new Set(['ENCRYPTION_KEY', 'ENCRYPTION_KEYS_OLD']);

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? 'environment');
  const got = SECRET_VARIABLES.has(name) ? undefined : env[name];
  return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
}

/**
 * Parses the environment into a {@link ForgeConfig}. A bad value throws `INVALID_CONFIG`
 * naming each variable and the form it expects, so start-up stops with a useful message.
 *
 * @param env - usually `process.env`
 * @param cwd - base for relative paths
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): ForgeConfig {
  // Empty strings mean "unset" for optional variables, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${describeIssue(i, env)}`);
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:config] Invalid configuration:\n${lines.join('\n')}`,
      {
        details: { issues: parsed.error.issues.map((i) => ({ variable: i.path[0], message: i.message })) },
      },
    );
  }
  const e = parsed.data;
  const dataDir = resolve(cwd, e.DATA_DIR);
  return {
    host: e.HOST,
    port: e.PORT,
    debug: e.DEBUG,
    logLevel: e.LOG_LEVEL,
    dataDir,
    uploadFolder: resolve(cwd, e.UPLOAD_FOLDER ?? resolve(dataDir, 'uploads')),
    sortedFolder: resolve(cwd, e.SORTED_FOLDER ?? resolve(dataDir, 'sorted')),
    databaseUrl: e.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'fileforge.db')}`,
    maxFileSize: e.MAX_FILE_SIZE,
    maxFilesPerRequest: e.MAX_FILES_PER_REQUEST,
    maxWorkers: e.MAX_WORKERS,
    jobMaxAttempts: e.JOB_MAX_ATTEMPTS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    dedupeStoreOnce: e.DEDUPE_STORE_ONCE,
    allowedFileTypes: e.ALLOWED_FILE_TYPES?.length ? e.ALLOWED_FILE_TYPES : undefined,
    allowedOrigins: e.ALLOWED_ORIGINS,
    webhookAllowedHosts: e.WEBHOOK_ALLOWED_HOSTS,
    webhookRequireHttps: e.WEBHOOK_REQUIRE_HTTPS,
    env: e,
  };
}
