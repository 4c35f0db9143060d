import { type ForgeConfig, keyRingFromEnv } from '@fileforge/core';
import { manifestKeys, signingKeyOf } from '../backup/manifest-signature.js';
import { backupDirOf } from '../backup/schedule-options.js';
import type { StartServerOptions } from '../node.js';
import type { ServerOptions } from '../options.js';
import type { ServerSecrets } from '../secrets.js';

/** Maps the environment configuration to the options of `startServer` (all but the forge and where it listens). */
export function serverOptionsFromConfig(
  config: ForgeConfig,
  secrets: ServerSecrets,
): ServerOptions & Pick<StartServerOptions, 'headersTimeoutMs' | 'maxConnectionsPerClient' | 'requeue'> {
  const env = config.env;
  // Counters shared by every instance on REDIS_URL unless RATELIMIT_STORAGE_URL names another
  // store: N instances counting in memory would allow N times the limit (docs/scaling.md).
  const rateLimitStore = env.RATELIMIT_STORAGE_URL ?? env.REDIS_URL;
  return {
    tokens: {
      algorithm: env.JWT_ALGORITHM,
      secret: secrets.jwtSecretKey,
      ...(env.JWT_PRIVATE_KEY ? { privateKeyPem: env.JWT_PRIVATE_KEY } : {}),
      ...(env.JWT_PUBLIC_KEY ? { publicKeyPem: env.JWT_PUBLIC_KEY } : {}),
      ttlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    },
    bcryptRounds: env.BCRYPT_ROUNDS,
    ...(env.PASSWORD_HASH_CONCURRENCY
      ? { passwordHashing: { concurrency: env.PASSWORD_HASH_CONCURRENCY } }
      : {}),
    loginThrottle: { freeFailures: env.LOGIN_FREE_FAILURES, maxLockSeconds: env.LOGIN_LOCKOUT_MAX_SECONDS },
    rateLimit: env.RATELIMIT_DEFAULT,
    ...(rateLimitStore ? { rateLimitStorageUrl: rateLimitStore } : {}),
    trustedProxies: env.TRUSTED_PROXIES,
    allowedOrigins: config.allowedOrigins,
    maxFilesPerRequest: config.maxFilesPerRequest,
    uploadIdleTimeoutMs: env.UPLOAD_IDLE_TIMEOUT_MS,
    uploadMinBytesPerSecond: env.UPLOAD_MIN_BYTES_PER_S,
    uploadRateWindowMs: env.UPLOAD_RATE_WINDOW_MS,
    resumableUploads: { expiryMs: Math.round(env.UPLOAD_EXPIRY_HOURS * 3_600_000) },
    admission: {
      queueMaxDepth: env.QUEUE_MAX_DEPTH,
      busyRetryAfterSeconds: env.QUEUE_BUSY_RETRY_AFTER_S,
      queueInCatalog: !env.REDIS_URL,
    },
    requestBodyTimeoutMs: env.REQUEST_BODY_TIMEOUT_MS,
    headersTimeoutMs: env.REQUEST_HEADERS_TIMEOUT_MS,
    maxConnectionsPerClient: env.MAX_CONNECTIONS_PER_CLIENT,
    requeue:
      env.REQUEUE_INTERVAL_MINUTES === 0
        ? false
        : { intervalMs: Math.round(env.REQUEUE_INTERVAL_MINUTES * 60_000) },
    // The admin screen's backups: the directory and signing key `fileforge backup` uses.
    backups: {
      databaseUrl: config.databaseUrl,
      outputDir: backupDirOf(config),
      signingKey: signingKeyOf(manifestKeys({ secretKey: secrets.secretKey, keyRing: keyRingFromEnv(env) })),
    },
  };
}
