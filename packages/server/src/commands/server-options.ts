import type { ForgeConfig } from '@fileforge/core';
import type { ServerOptions } from '../options.js';
import type { ServerSecrets } from '../secrets.js';

/** Maps the environment configuration to {@link ServerOptions}. */
export function serverOptionsFromConfig(config: ForgeConfig, secrets: ServerSecrets): ServerOptions {
  const env = config.env;
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
    ...(env.RATELIMIT_STORAGE_URL ? { rateLimitStorageUrl: env.RATELIMIT_STORAGE_URL } : {}),
    trustedProxies: env.TRUSTED_PROXIES,
    allowedOrigins: config.allowedOrigins,
    maxFilesPerRequest: config.maxFilesPerRequest,
    uploadIdleTimeoutMs: env.UPLOAD_IDLE_TIMEOUT_MS,
  };
}
