import { isIP } from 'node:net';
import { z } from 'zod';
import { parseMasterKey } from '../storage/key-ring.js';

const bool = (name: string) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''], {
      message: `${name} must be one of true/false/1/0/yes/no/on/off`,
    })
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const positiveInt = (what: string) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected ${what}` })
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n > 0, { message: `expected ${what}` });

const nonNegativeInt = (what: string) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected ${what}` })
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n), { message: `expected ${what}` });

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** A host name (`*.` allowed in front), an IP address (IPv6 optionally in brackets) or a CIDR network. */
function isHostOrNetwork(entry: string): boolean {
  const [base = '', prefix, extra] = entry.split('/');
  const ip = base.replace(/^\[(.*)\]$/, '$1');
  if (extra !== undefined) return false;
  if (prefix !== undefined)
    return isIP(ip) !== 0 && /^\d+$/.test(prefix) && Number(prefix) <= (isIP(ip) === 4 ? 32 : 128);
  return (
    isIP(ip) !== 0 ||
    /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i.test(base)
  );
}

const MASTER_KEY_FORM =
  'expected a 32-byte key in base64 or base64url, optionally "<id>:" in front (generate one with: openssl rand -base64 32)';

function isMasterKey(value: string): boolean {
  try {
    parseMasterKey(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment variables FileForge reads, with their defaults. Names are the ones a
 * FileForge operator already knows (see `.env.example`); unknown variables are ignored.
 */
export const envSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z
    .string()
    .regex(/^\d+$/, { message: 'expected a TCP port number (0-65535)' })
    .transform(Number)
    .refine((n) => n <= 65535, { message: 'expected a TCP port number (0-65535)' })
    .default(8000),
  DEBUG: bool('DEBUG').default(false),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  UPLOAD_FOLDER: z.string().min(1).optional(),
  SORTED_FOLDER: z.string().min(1).optional(),
  WATCH_FOLDER: z.string().min(1).optional(),
  WATCH_RECURSIVE: bool('WATCH_RECURSIVE').default(false),
  WATCH_STABILITY_MS: positiveInt('a positive integer number of milliseconds').default(2000),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|file:|postgres(ql)?:\/\/)/, {
      message: 'expected sqlite:<path>, file:<path> or postgresql://user@host/db',
    })
    .optional(),
  MAX_FILE_SIZE: positiveInt('a positive integer number of bytes').default(104_857_600),
  ALLOWED_FILE_TYPES: csv
    .refine((list) => list.every((t) => /^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/.test(t)), {
      message: 'expected a comma-separated list of MIME types such as image/png,image/*',
    })
    .optional(),
  UPLOAD_IDLE_TIMEOUT_MS: positiveInt('a positive integer number of milliseconds').default(60_000),
  UPLOAD_MIN_BYTES_PER_S: nonNegativeInt('a whole number of bytes per second (0 disables)').default(1024),
  UPLOAD_RATE_WINDOW_MS: positiveInt('a positive integer number of milliseconds').default(10_000),
  REQUEST_HEADERS_TIMEOUT_MS: positiveInt('a positive integer number of milliseconds').default(60_000),
  REQUEST_BODY_TIMEOUT_MS: positiveInt('a positive integer number of milliseconds').default(30_000),
  MAX_CONNECTIONS_PER_CLIENT: nonNegativeInt('a whole number of connections (0 disables)').default(64),
  MAX_FILES_PER_REQUEST: positiveInt('a positive integer').default(20),
  MAX_WORKERS: positiveInt('a positive integer').default(4),
  JOB_MAX_ATTEMPTS: positiveInt('a positive integer').default(5),
  /**
   * Backpressure: while the processing queue holds this many unfinished (pending or running)
   * jobs, new uploads (multipart and tus creation) are refused with 503 `BUSY` and
   * `Retry-After`; files already accepted are kept and processed. 0 disables.
   */
  QUEUE_MAX_DEPTH: z
    .string()
    .regex(/^\d+$/, { message: 'expected a whole number of jobs (0 disables)' })
    .transform(Number)
    .default(0),
  /** `Retry-After` (seconds) of a `BUSY` refusal when the queue is over QUEUE_MAX_DEPTH. */
  QUEUE_BUSY_RETRY_AFTER_S: positiveInt('a positive integer number of seconds').default(5),
  /**
   * How long a running job stays held without renewal (renewed every third of it): a dead
   * worker's jobs run again elsewhere about this long after it died. Unset: 30000.
   */
  JOB_LEASE_MS: positiveInt('a positive integer number of milliseconds (at least 1000)')
    .refine((n) => n >= 1000, { message: 'expected at least 1000 milliseconds' })
    .optional(),
  SHUTDOWN_GRACE_MS: positiveInt('a positive integer number of milliseconds').default(10_000),
  PROCESSOR_TIMEOUT_MS: positiveInt('a positive integer number of milliseconds').default(60_000),
  IMAGE_MAX_PIXELS: positiveInt('a positive integer number of pixels').default(40_000_000),
  THUMBNAIL_SIZES: z
    .string()
    .regex(/^\d+(\s*,\s*\d+)*$/, { message: 'expected comma-separated pixel sizes such as 256,1024' })
    .transform((v) => v.split(',').map((n) => Number(n.trim())))
    .default([256]),
  THUMBNAIL_FORMAT: z
    .enum(['webp', 'jpeg', 'png', 'avif'], { message: 'expected webp, jpeg, png or avif' })
    .default('webp'),
  IMAGE_KEEP_METADATA: bool('IMAGE_KEEP_METADATA').default(false),
  MEDIA_MAX_DURATION_SECONDS: positiveInt('a positive integer number of seconds').default(14_400),
  DEDUPE_STORE_ONCE: bool('DEDUPE_STORE_ONCE').default(true),
  SECRET_KEY: z.string().min(1).optional(),
  JWT_SECRET_KEY: z.string().min(1).optional(),
  JWT_ALGORITHM: z
    .enum(['HS256', 'HS384', 'HS512', 'RS256', 'PS256', 'ES256', 'EdDSA'], {
      message: 'expected one of HS256, HS384, HS512, RS256, PS256, ES256, EdDSA',
    })
    .default('HS256'),
  JWT_PRIVATE_KEY: z
    .string()
    .includes('PRIVATE KEY', { message: 'expected a PKCS#8 PEM private key' })
    .optional(),
  JWT_PUBLIC_KEY: z
    .string()
    .includes('PUBLIC KEY', { message: 'expected an SPKI PEM public key' })
    .optional(),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt('a positive integer number of seconds').default(900),
  ADMIN_EMAIL: z.string().email({ message: 'expected an email address' }).optional(),
  ADMIN_PASSWORD: z.string().min(8, { message: 'expected at least 8 characters' }).optional(),
  TRUSTED_PROXIES: csv.default([]),
  /**
   * Encryption at rest: the current master key, `[<id>:]<base64>` (32 bytes, base64 or
   * base64url). Unset: blobs are stored in plaintext.
   */
  ENCRYPTION_KEY: z.string().refine(isMasterKey, { message: MASTER_KEY_FORM }).optional(),
  /** Earlier master keys, comma-separated `[<id>:]<base64>`: still read, never used for new blobs. */
  ENCRYPTION_KEYS_OLD: csv
    .refine((list) => list.every(isMasterKey), {
      message: `expected a comma-separated list; each ${MASTER_KEY_FORM}`,
    })
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'expected redis://host:port' })
    .optional(),
  ALLOWED_ORIGINS: csv.default([]),
  BCRYPT_ROUNDS: positiveInt('a positive integer (4-31)').default(12),
  PASSWORD_HASH_CONCURRENCY: positiveInt('a positive integer').optional(),
  LOGIN_FREE_FAILURES: positiveInt('a positive integer').default(5),
  LOGIN_LOCKOUT_MAX_SECONDS: positiveInt('a positive integer number of seconds').default(900),
  RATELIMIT_DEFAULT: z
    .string()
    // n as the limiter reads it (1 to 9 digits, not 0): anything else is refused here, naming
    // the variable, rather than only when the server starts.
    .regex(/^(?!0+\s)\d{1,9}\s+per\s+(second|minute|hour|day)$/, {
      message: 'expected "<n> per <second|minute|hour|day>" with n from 1 to 999999999',
    })
    .default('100 per minute'),
  RATELIMIT_STORAGE_URL: z.string().optional(),
  BACKUP_ENABLED: bool('BACKUP_ENABLED').default(false),
  BACKUP_RETENTION_DAYS: positiveInt('a positive integer number of days').default(30),
  BACKUP_MAX_COUNT: positiveInt('a positive integer').default(10),
  /** Hours between scheduled backups; fractions allowed (`0.5` is every 30 minutes). */
  BACKUP_INTERVAL_HOURS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: 'expected a positive number of hours, such as 24 or 0.5' })
    .transform(Number)
    .refine((n) => n > 0 && Number.isFinite(n), {
      message: 'expected a positive number of hours, such as 24 or 0.5',
    })
    .default(24),
  /**
   * Hours between the server's orphan sweeps (unreferenced blobs older than an hour are
   * removed); fractions allowed, `0` disables the sweep.
   */
  FSCK_SWEEP_INTERVAL_HOURS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: 'expected a number of hours, such as 24 or 0.5 (0 disables)' })
    .transform(Number)
    .refine((n) => Number.isFinite(n), {
      message: 'expected a number of hours, such as 24 or 0.5 (0 disables)',
    })
    .default(24),
  /**
   * Hours an unfinished resumable (tus) upload at `/api/v1/uploads` is kept: after that it
   * answers 410 and its staged bytes are swept (every quarter of this, at most every 15
   * minutes); fractions allowed.
   */
  UPLOAD_EXPIRY_HOURS: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: 'expected a positive number of hours, such as 24 or 0.5' })
    .transform(Number)
    .refine((n) => Number.isFinite(n) && n > 0, {
      message: 'expected a positive number of hours, such as 24 or 0.5',
    })
    .default(24),
  /**
   * Minutes between the server's re-queue sweeps: files unfinished for over five minutes get
   * their processing job requested again (one that could not be queued after its upload is
   * then processed without a restart); fractions allowed, `0` disables the sweep.
   */
  REQUEUE_INTERVAL_MINUTES: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: 'expected a number of minutes, such as 5 or 0.5 (0 disables)' })
    .transform(Number)
    .refine((n) => Number.isFinite(n), {
      message: 'expected a number of minutes, such as 5 or 0.5 (0 disables)',
    })
    .default(5),
  /** Where backups go (scheduled ones and `fileforge backup` without `--output`). @default `<DATA_DIR>/backups` */
  BACKUP_DIR: z.string().min(1).optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_REGION: z.string().optional(),
  /** Selects S3-compatible blob storage in this bucket (it must exist); unset: blobs under UPLOAD_FOLDER. */
  AWS_BUCKET_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/, {
      message: 'expected an S3 bucket name such as my-bucket (letters, digits, . _ -)',
    })
    .optional(),
  /** A non-AWS S3 endpoint (MinIO, Ceph, R2, …); path-style addressing then, unless S3_FORCE_PATH_STYLE=false. */
  S3_ENDPOINT: z.string().url({ message: 'expected an http(s) URL' }).optional(),
  /** Path-style S3 addressing (`<endpoint>/<bucket>/<key>`). @default true when S3_ENDPOINT is set */
  S3_FORCE_PATH_STYLE: bool('S3_FORCE_PATH_STYLE').optional(),
  /** A Sentry DSN (`https://<key>@<host>/<project>`); checked now, used by a later release. */
  SENTRY_DSN: z
    .string()
    .url({ message: 'expected a Sentry DSN such as https://<key>@o0.ingest.sentry.io/<project>' })
    .refine((dsn) => /^https?:\/\/[^@/]+@[^/]+\/\d+\/?$/.test(dsn), {
      message: 'expected a Sentry DSN such as https://<key>@o0.ingest.sentry.io/<project>',
    })
    .optional(),
  /**
   * Hosts, IPs and CIDR networks that outbound requests (webhooks, connector base URLs) may
   * reach although the SSRF guard refuses them (loopback, private, link-local…), e.g.
   * `localhost,127.0.0.0/8,::1` for local development and tests. Empty: public addresses only.
   */
  WEBHOOK_ALLOWED_HOSTS: csv
    .refine((list) => list.every(isHostOrNetwork), {
      message:
        'expected a comma-separated list of host names, IP addresses or CIDR networks such as localhost,10.0.0.0/8,::1',
    })
    .default([]),
  /** Refuse plain `http:` URLs for outbound requests whose URL a user supplies. */
  WEBHOOK_REQUIRE_HTTPS: bool('WEBHOOK_REQUIRE_HTTPS').default(false),
});

/** The raw, validated environment. */
export type Env = z.output<typeof envSchema>;
