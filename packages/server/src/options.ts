import type { IntegrationService, WebhookService } from '@fileforge/integrations';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { UploadAdmissionOptions } from './admission/upload-admission.js';
import type { AccessTokenOptions } from './auth/access-tokens.js';
import type { HashSlotsOptions } from './auth/hash-slots.js';
import type { LoginThrottleOptions } from './auth/login-throttle.js';
import type { BackupRouteOptions } from './routes/backups.js';
import type { ServerEnv } from './server-env.js';

/**
 * The integrations a server serves: what `createIntegrationExtensions()` returns (the same
 * extensions must be in the forge's `extensions`). Each service is read on every request, so
 * an extension whose forge has closed answers `SHUTTING_DOWN`.
 */
export interface ServerIntegrations {
  /** Serves `/api/v1/integrations/webhooks…`. */
  webhooks?: { readonly service: WebhookService };
  /** Serves `/api/v1/integrations…` (connectors) and the `integrations` health component. */
  connectors?: { readonly service: IntegrationService };
}

/** Options for {@link createServer}. */
export interface ServerOptions {
  /** How access tokens are signed: `secret` (JWT_SECRET_KEY) for HS256, or PEM keys. */
  tokens: AccessTokenOptions;
  /**
   * Webhooks and connectors (`createIntegrationExtensions()`). Without them the routes stay
   * documented but answer 404 `INTEGRATIONS_NOT_CONFIGURED`, and `/health/detailed` has no
   * `integrations` component. `fileforge serve` always passes both. @default none
   */
  integrations?: ServerIntegrations;
  /** bcrypt cost for passwords (BCRYPT_ROUNDS). @default 12 */
  bcryptRounds?: number;
  /**
   * Seconds a rotated refresh token may be presented again by its own login (tabs refreshing
   * together) before a second use is taken for a copied token and ends the login. @default 10
   */
  refreshReuseGraceSeconds?: number;
  /**
   * How many password hashes may run (PASSWORD_HASH_CONCURRENCY) and wait at once; beyond
   * that logins and password changes answer 503 `BUSY` with `Retry-After`.
   * @default concurrency min(cores, libuv pool − 2), queue 4 × concurrency
   */
  passwordHashing?: HashSlotsOptions;
  /**
   * Per-account back-off after failed logins: free failures (LOGIN_FREE_FAILURES), then
   * doubling lock-outs up to a maximum (LOGIN_LOCKOUT_MAX_SECONDS), answered 429
   * `RATE_LIMITED`. `false` turns it off (benchmarks, tests only). Takes a clock (`now`) for tests.
   * Failures are counted in `rateLimitStorageUrl`'s store, so with Redis every process sees them.
   * @default 5 free failures, 1 s doubling to 900 s
   */
  loginThrottle?: LoginThrottleOptions | false;
  /** RATELIMIT_DEFAULT. @default '100 per minute' */
  rateLimit?: string;
  /**
   * RATELIMIT_STORAGE_URL (else REDIS_URL): `redis://…` shares limits and login failure counts
   * between processes. @default in memory
   */
  rateLimitStorageUrl?: string;
  /** Reverse proxies (IPs or CIDRs) whose `X-Forwarded-For`/`-Proto` are believed. @default none */
  trustedProxies?: string[];
  /** Origins allowed to call the API from a browser (ALLOWED_ORIGINS). @default none */
  allowedOrigins?: string[];
  /** An upload whose body sends nothing for this long is answered 408 `REQUEST_TIMEOUT`. @default 60000 */
  uploadIdleTimeoutMs?: number;
  /**
   * UPLOAD_MIN_BYTES_PER_S: an upload averaging less than this over `uploadRateWindowMs` is
   * answered 408 `REQUEST_TIMEOUT` and nothing of it is kept. Time the server itself paused the
   * upload (backpressure from storage) does not count against the client. Too high a value
   * refuses clients on slow links; `0` disables the check. @default 1024
   */
  uploadMinBytesPerSecond?: number;
  /** UPLOAD_RATE_WINDOW_MS: the span the minimum upload rate is averaged over; longer forgives longer stalls. @default 10000 */
  uploadRateWindowMs?: number;
  /** Resumable (tus) uploads at `/api/v1/uploads`. */
  resumableUploads?: ResumableUploadOptions;
  /**
   * Upload admission for multipart and tus uploads alike: backpressure (QUEUE_MAX_DEPTH →
   * 503 `BUSY`), per-tenant quotas (413 `QUOTA_EXCEEDED`) and `Idempotency-Key`.
   * @default quotas and keys on; no queue depth limit
   */
  admission?: UploadAdmissionOptions;
  /**
   * REQUEST_BODY_TIMEOUT_MS: every request other than the upload must have sent its whole body
   * this long after its headers, or it is answered 408 `REQUEST_TIMEOUT` and its connection
   * closed (slow-body guard). Bodies there are small JSON. @default 30000
   */
  requestBodyTimeoutMs?: number;
  /** Largest JSON body accepted by routes other than the upload. @default 65536 */
  maxJsonBytes?: number;
  /**
   * How often `GET /api/v1/events` streams send a heartbeat comment. Shorter notices dead
   * connections sooner and keeps idle proxies from closing the stream; each beat is a write
   * per open stream. @default 15000
   */
  liveEventsHeartbeatMs?: number;
  /**
   * Backup settings of `/api/v1/backups` (the admin screen): where archives are and how they
   * are signed, as `fileforge backup` does. `serve` sets them; without them those routes answer 404.
   * @default none
   */
  backups?: BackupRouteOptions;
  /** Most files accepted in one multipart request. @default 20 */
  maxFilesPerRequest?: number;
  /**
   * After answering a request before its whole body was read (a refused upload), at most this
   * many more body bytes are read and discarded (so the client sees the answer rather than a
   * reset) before the connection is closed. Applied by `startServer` (see `lingerOnClose`).
   * @default 1048576 (1 MiB)
   */
  refusalDrainBytes?: number;
  /** Where the server logs. @default pino at `info` */
  logger?: Logger;
  /** Reported by `/health`. @default the server package's version */
  version?: string;
  /** While this returns true, new uploads are refused with 503 `SHUTTING_DOWN` (set by `startServer` on close). */
  isDraining?: () => boolean;
  /**
   * `/ready` answers 200 only once this returns true: `startServer` sets it when start-up,
   * including the first-admin bootstrap, has finished. @default always started
   */
  isStarted?: () => boolean;
  /**
   * Runs before the routes on every request; `startServer` sets it to refuse requests on
   * connections over `maxConnectionsPerClient` (it is the one that sees the sockets). @default none
   */
  connectionGate?: MiddlewareHandler<ServerEnv>;
}

/** Options for the resumable (tus 1.0) uploads at `/api/v1/uploads`. */
export interface ResumableUploadOptions {
  /** UPLOAD_EXPIRY_HOURS: how long an unfinished upload is kept before it answers 410 and is swept. @default 86400000 (24 h) */
  expiryMs?: number;
  /** How often expired uploads are swept. @default a quarter of `expiryMs`, at most 15 minutes */
  sweepIntervalMs?: number;
  /**
   * Where unfinished uploads are staged. Files there are linked into the blob store when
   * complete, so it should be on the blob store's filesystem.
   * @default the blob store's staging directory (local disk), else `<DATA_DIR>/uploads-staging`
   */
  stagingDir?: string;
  /** Injectable clock (expiry). @default Date.now */
  now?: () => number;
}
