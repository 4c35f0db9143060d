import type { Logger } from 'pino';

/**
 * What the public health answers may say about a failed check, and where its cause goes.
 * `/health/detailed` needs no credentials, and a raw error names what a visitor should not
 * learn: the upload folder's absolute path (`EACCES … /srv/fileforge/uploads`), the host and
 * port of PostgreSQL or Redis (`connect ECONNREFUSED 10.0.0.5:6379`), a bucket. So a
 * component's `error` is a fixed text — its subject and, when the cause is a known kind, that
 * kind (`storage unavailable`, `catalog unavailable: timed out`) — and the raw error goes to
 * the server log, once when the failure starts or changes kind rather than on every probe.
 */

/** The components of `/health/detailed` that can fail, and the subject their text names. */
const SUBJECTS = {
  database: 'catalog',
  storage: 'storage',
  redis: 'redis',
  queue: 'queue',
  integrations: 'integrations',
  webhooks: 'webhook outbox',
} as const;

/** The OpenAPI description of a component's `error`, shared by every component schema. */
export const HEALTH_ERROR_DESCRIPTION =
  'When unhealthy: a fixed text naming the component and, when known, the kind of failure (e.g. "storage unavailable", "catalog unavailable: timed out"). Never the underlying error, which names paths and hosts: that is in the server log.';

/** A component of `/health/detailed` whose check can fail. */
export type HealthComponent = keyof typeof SUBJECTS;

/** Error codes (FileForge, Node errno) → the kind the public text names; others say none. */
const KINDS: Record<string, string> = {
  TIMEOUT: 'timed out',
  ETIMEDOUT: 'timed out',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only',
  ENOSPC: 'no space left',
  EDQUOT: 'no space left',
};

/** How deep the cause chain is searched for a known kind (a chain is a few links at most). */
const MAX_DEPTH = 8;

/** The first known kind on `error`'s cause chain (an AggregateError's first error included). */
function kindOf(error: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return undefined;
  const { code, name, cause, errors } = error as {
    code?: unknown;
    name?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  // AbortSignal.timeout() aborts with a DOMException named TimeoutError, which has no string code.
  if (name === 'TimeoutError') return KINDS.TIMEOUT;
  const kind = typeof code === 'string' ? KINDS[code] : undefined;
  return (
    kind ?? kindOf(cause, depth + 1) ?? (Array.isArray(errors) ? kindOf(errors[0], depth + 1) : undefined)
  );
}

/**
 * The public text for `component`'s failure: `"<subject> unavailable"`, with `": <kind>"` when
 * the cause is a known kind. Never any part of the error's message.
 */
export function healthFailureText(component: HealthComponent, error: unknown): string {
  const kind = kindOf(error);
  return `${SUBJECTS[component]} unavailable${kind ? `: ${kind}` : ''}`;
}

/** One component's reporter, from {@link HealthFailures.of}. */
export interface ComponentFailures {
  /** The public text for this failure; logs `error` (warn) when the failure starts or changes kind. */
  failed(error: unknown): string;
  /** The check answered: logs once (info) when it had been failing. */
  passed(): void;
}

/** What {@link createHealthFailures} returns. */
export interface HealthFailures {
  /** The reporter of one component; reporters of the same component share its state. */
  of(component: HealthComponent): ComponentFailures;
}

/**
 * Turns failed checks into public texts and log lines. A component failing the same way probe
 * after probe (a load balancer asks every few seconds) is logged once, with the raw error
 * (`err`, its message and stack and cause) and the component; again only when the public
 * text changes (a refused connection becoming a timeout) or after it has passed in between.
 */
export function createHealthFailures(logger: Logger): HealthFailures {
  const failing = new Map<HealthComponent, string>();
  return {
    of: (component) => ({
      failed(error) {
        const text = healthFailureText(component, error);
        if (failing.get(component) !== text) {
          failing.set(component, text);
          logger.warn({ err: error, component }, `health check failed: ${text}`);
        }
        return text;
      },
      passed() {
        if (failing.delete(component)) logger.info({ component }, 'health check passes again');
      },
    }),
  };
}
