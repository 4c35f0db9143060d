import { ErrorCode } from '../errors/codes.js';
import { FileForgeError, type FileForgeErrorOptions } from '../errors/fileforge-error.js';

/**
 * Sets `name` on an instance: the base class types `name` as the literal `'FileForgeError'`,
 * so a subclass cannot redeclare it, yet logs and `isRetryableError()` read it.
 */
export function nameError(error: Error, name: string): void {
  Object.defineProperty(error, 'name', { value: name, configurable: true, writable: true });
}

/**
 * A call was rejected without running because the circuit is open (or half-open with its one
 * probe already running). Code `CIRCUIT_OPEN`; never retried by `retry()`.
 */
export class BrokenCircuitError extends FileForgeError {
  /** Time left, in ms, until the circuit lets a probe through (0 while a probe runs). */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, message?: string, options: FileForgeErrorOptions = {}) {
    super(
      ErrorCode.CIRCUIT_OPEN,
      message ?? `[fileforge:circuit] Circuit is open; the next probe is allowed in ${retryAfterMs} ms`,
      { ...options, details: { retryAfterMs, ...options.details } },
    );
    this.retryAfterMs = retryAfterMs;
    nameError(this, 'BrokenCircuitError');
  }
}

/**
 * Builds an error without capturing a stack trace. Used for the breaker's fast rejections:
 * they happen on the hot path, up to thousands of times a second while a dependency is down,
 * and capturing the frames costs more than the whole rejection otherwise; the message and
 * `details` say what happened and the caller's own frames are in its `await`.
 */
export function withoutStack<E extends Error>(make: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A call was rejected because the circuit is held open by hand (`isolate()`). Code `CIRCUIT_OPEN`. */
export class IsolatedCircuitError extends BrokenCircuitError {
  constructor() {
    super(
      Number.POSITIVE_INFINITY,
      '[fileforge:circuit] Circuit is isolated by hand; dispose every isolate() handle to close it',
    );
    nameError(this, 'IsolatedCircuitError');
  }
}

/** Every endpoint of a `LoadBalancer` is ejected or marked unhealthy. Code `NO_HEALTHY_ENDPOINT`. */
export class NoHealthyEndpointError extends FileForgeError {
  constructor(endpoints: number) {
    super(
      ErrorCode.NO_HEALTHY_ENDPOINT,
      `[fileforge:balancer] None of ${endpoints} endpoints is healthy; mark one healthy or enable panicMode`,
      { details: { endpoints } },
    );
    nameError(this, 'NoHealthyEndpointError');
  }
}

/** No region of a `ClusterManager` is healthy or degraded. Code `NO_HEALTHY_ENDPOINT`. */
export class NoHealthyRegionError extends FileForgeError {
  constructor(regions: readonly string[]) {
    super(
      ErrorCode.NO_HEALTHY_ENDPOINT,
      `[fileforge:cluster] No region is healthy or degraded (${regions.join(', ') || 'none registered'})`,
      { details: { regions: [...regions] } },
    );
    nameError(this, 'NoHealthyRegionError');
  }
}
