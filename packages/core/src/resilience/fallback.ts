import { invalidOption } from './backoff.js';
import { NEVER_SIGNAL, type Policy, type PolicyContext } from './policy.js';

/** A fallback's value as the caller gets it: the handler's object, marked `fallback: true`. */
export type FallbackResult<F extends object> = F & { fallback: true };

/** Produces a substitute result from the error that ended the call. */
export type FallbackHandler<F extends object> = (error: unknown, operation: string) => F | PromiseLike<F>;

/** Options for {@link createFallbacks}. */
export interface FallbackOptions {
  /** When false, no handler runs and the error reaches the caller (seed knob `fallback_enabled`). @default true */
  fallbackEnabled?: boolean;
}

function mark<F extends object>(value: F): FallbackResult<F> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      'A fallback handler must return a plain object (it is returned marked `fallback: true`)',
      'fallback',
    );
  }
  return { ...value, fallback: true };
}

/**
 * A fallback as a policy for `wrap()`: when the inner call finally fails, `handler`'s value
 * (marked `fallback: true`) becomes the result. A handler that throws fails the call with
 * its own error. Made by `createFallbacks().for()` or {@link fallback}.
 */
export class FallbackPolicy<F extends object> implements Policy<FallbackResult<F>> {
  constructor(
    private readonly handler: () => FallbackHandler<F> | undefined,
    private readonly enabled: () => boolean,
    readonly operation: string,
  ) {}

  async execute<T>(
    fn: (context: PolicyContext) => PromiseLike<T> | T,
    signal?: AbortSignal,
  ): Promise<T | FallbackResult<F>> {
    try {
      return await fn({ signal: signal ?? NEVER_SIGNAL });
    } catch (error) {
      const handler = this.handler();
      // the caller's own abort is an answer, not a failure to cover up
      if (!handler || !this.enabled() || signal?.aborted) throw error;
      return mark(await handler(error, this.operation));
    }
  }
}

/**
 * A single fallback policy, not kept in a registry.
 *
 * @example
 * ```ts
 * const cached = fallback(() => ({ items: lastKnownItems }));
 * const page = await wrap(cached, retry(), breaker).execute(() => api.list());
 * ```
 */
export function fallback<F extends object>(
  handler: FallbackHandler<F>,
  options: FallbackOptions = {},
): FallbackPolicy<F> {
  const enabled = options.fallbackEnabled ?? true;
  return new FallbackPolicy(
    () => handler,
    () => enabled,
    'anonymous',
  );
}

/** Fallback handlers by operation name; see {@link createFallbacks}. */
export interface FallbackRegistry {
  /** Whether handlers run at all; may be switched at run time. */
  fallbackEnabled: boolean;
  /** Registers (or replaces) the handler for `operation`; returns a function that removes it. */
  registerFallback<F extends object>(operation: string, handler: FallbackHandler<F>): () => void;
  /** Whether `operation` has a handler. */
  has(operation: string): boolean;
  /**
   * The policy for `operation`, for `wrap()`. It looks the handler up at each failure, so a
   * handler registered later still applies; with none, the error reaches the caller.
   */
  for<F extends object = Record<string, unknown>>(operation: string): FallbackPolicy<F>;
  /** Shorthand for `for(operation).execute(fn, signal)`. */
  execute<T, F extends object = Record<string, unknown>>(
    operation: string,
    fn: (context: PolicyContext) => PromiseLike<T> | T,
    signal?: AbortSignal,
  ): Promise<T | FallbackResult<F>>;
}

/**
 * A registry of fallbacks by operation name: when the composed call finally fails (retries
 * spent, circuit open, timeout) and `fallbackEnabled` is true, the operation's handler gets the
 * error and its value becomes the result, marked `fallback: true`.
 *
 * @example
 * ```ts
 * const fallbacks = createFallbacks({ fallbackEnabled: true });
 * fallbacks.registerFallback('crm.sync', (error) => ({ queued: true, reason: String(error) }));
 * const policy = wrap(fallbacks.for('crm.sync'), retry(), breaker, timeout(30_000));
 * const result = await policy.execute(({ signal }) => crm.sync(record, { signal }));
 * if ('fallback' in result) log.warn('CRM down, sync queued');
 * ```
 */
export function createFallbacks(options: FallbackOptions = {}): FallbackRegistry {
  const handlers = new Map<string, FallbackHandler<object>>();
  const registry: FallbackRegistry = {
    fallbackEnabled: options.fallbackEnabled ?? true,
    registerFallback(operation, handler) {
      if (typeof operation !== 'string' || operation === '') {
        throw invalidOption('"operation" must be a non-empty string', 'fallback');
      }
      handlers.set(operation, handler);
      return () => {
        if (handlers.get(operation) === handler) handlers.delete(operation);
      };
    },
    has: (operation) => handlers.has(operation),
    for<F extends object>(operation: string) {
      return new FallbackPolicy<F>(
        () => handlers.get(operation) as FallbackHandler<F> | undefined,
        () => registry.fallbackEnabled,
        operation,
      );
    },
    execute<T, F extends object>(
      operation: string,
      fn: (context: PolicyContext) => PromiseLike<T> | T,
      signal?: AbortSignal,
    ): Promise<T | FallbackResult<F>> {
      return registry.for<F>(operation).execute(fn, signal);
    },
  };
  return registry;
}
