/** What every policy passes to the function it runs. */
export interface PolicyContext {
  /** Aborts when the caller aborts or an inner policy gives up (e.g. a timeout). */
  signal: AbortSignal;
}

/**
 * Anything that can run a function under a resilience rule: `CircuitBreaker`, `retry()`,
 * `timeout()`, a fallback, or a `wrap()` of them. `Extra` is the type a policy may return
 * instead of the function's own result (a fallback's value); `never` for the others.
 */
export interface Policy<Extra = never> {
  execute<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T | Extra>;
}

/** The extra result type of a policy (see {@link Policy}). */
export type ExtraOf<P> = P extends Policy<infer Extra> ? Extra : never;

/** A signal that never aborts, shared so that calls without a signal allocate nothing. */
export const NEVER_SIGNAL: AbortSignal = new AbortController().signal;
