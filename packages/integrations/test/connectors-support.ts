/**
 * Shared pieces of the connector tests: an HTTP client that may reach the fakes on
 * 127.0.0.1, HA knobs with instant waits, and a manual clock.
 */
import type { HaOptions } from '../src/connectors/index.js';
import { createHttpClient, type HttpClient } from '../src/http/index.js';

/** An SSRF-guarded client that allows loopback (the fakes) — what an operator's allow-list does. */
export function loopbackHttp(): HttpClient {
  return createHttpClient({ guard: { allowedHosts: ['127.0.0.1'] } });
}

/** Quick HA knobs: short deadlines, no backoff wait (waits are recorded by {@link recordingSleep}). */
export const quickHa: HaOptions = { retryDelayMs: 1, maxRetryDelayMs: 5, timeoutMs: 5_000 };

/** A sleep that records what it was asked to wait and returns at once. */
export function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

/** A clock tests move by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}
