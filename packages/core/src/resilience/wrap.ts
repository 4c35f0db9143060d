import { type ExtraOf, NEVER_SIGNAL, type Policy, type PolicyContext } from './policy.js';

type Fn<T> = (context: PolicyContext) => PromiseLike<T> | T;

/**
 * Composes policies, **outermost first**: `wrap(a, b, c).execute(fn)` is
 * `a.execute(() => b.execute(() => c.execute(fn)))`, each inner policy getting the signal the
 * outer one hands down. FileForge's documented order is
 * fallback ∘ retry ∘ circuit breaker ∘ per-attempt timeout: every attempt then counts once
 * towards the breaker, a timed-out attempt is a failure, and an open breaker ends the retry
 * loop at once (`BrokenCircuitError` is never retried).
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ openAfterFailures: 5, resetTimeoutMs: 30_000 });
 * const policy = wrap(fallbacks.for('crm.sync'), retry({ maxRetries: 3 }), breaker, timeout(30_000));
 * const result = await policy.execute(({ signal }) => crm.sync(record, { signal }));
 * ```
 */
export function wrap<P extends readonly Policy<unknown>[]>(...policies: P): Policy<ExtraOf<P[number]>> {
  const list = policies as readonly Policy<unknown>[];
  if (list.length === 0) {
    return {
      execute: async <T>(fn: Fn<T>, signal?: AbortSignal) => fn({ signal: signal ?? NEVER_SIGNAL }),
    } as Policy<ExtraOf<P[number]>>;
  }
  if (list.length === 1) return list[0] as Policy<ExtraOf<P[number]>>;
  const run = <T>(index: number, fn: Fn<T>, signal: AbortSignal | undefined): Promise<unknown> => {
    const policy = list[index]!;
    if (index === list.length - 1) return policy.execute(fn, signal);
    return policy.execute((context) => run(index + 1, fn, context.signal), signal);
  };
  return {
    execute: <T>(fn: Fn<T>, signal?: AbortSignal) => run(0, fn, signal),
  } as Policy<ExtraOf<P[number]>>;
}
