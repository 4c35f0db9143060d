/**
 * Resilience primitives: circuit breaker, retry with exponential backoff and jitter, per-call
 * timeouts, fallbacks, `wrap()` to compose them, a smooth weighted round-robin load balancer and
 * multi-region failover. Every one takes an injectable clock; none leaves a timer running.
 *
 * @module
 */
export { type BackoffOptions, backoffDelay, type Jitter } from './backoff.js';
export type { BreakerStrategy } from './breaker-strategy.js';
export {
  type BreakBackoffOptions,
  CircuitBreaker,
  type CircuitBreakerEvents,
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
  type CircuitBreakerStats,
  type CircuitState,
  type IsolationHandle,
} from './circuit-breaker.js';
export {
  type ClusterEvents,
  ClusterManager,
  type ClusterManagerOptions,
  type ClusterStats,
  type HealthStatus,
} from './cluster-manager.js';
export type { Listener, Unsubscribe } from './emitter.js';
export {
  BrokenCircuitError,
  IsolatedCircuitError,
  NoHealthyEndpointError,
  NoHealthyRegionError,
} from './errors.js';
export {
  createFallbacks,
  type FallbackHandler,
  type FallbackOptions,
  FallbackPolicy,
  type FallbackRegistry,
  type FallbackResult,
  fallback,
} from './fallback.js';
export {
  type Endpoint,
  type EndpointStats,
  LoadBalancer,
  type LoadBalancerOptions,
} from './load-balancer.js';
export type { ExtraOf, Policy, PolicyContext } from './policy.js';
export { type RetryContext, type RetryOptions, retry } from './retry.js';
export { type RetryEvents, RetryPolicy } from './retry-policy.js';
export { isRetryableError, retryAfterMsOf } from './retryable.js';
export type { SamplingOptions } from './sampling.js';
export { TimeoutError, TimeoutPolicy, timeout, withTimeout } from './timeout.js';
export { wrap } from './wrap.js';
