/** Request latencies: percentiles, and a poller that times one request after another. */

/** Latency summary of one run, in milliseconds. */
export interface Latency {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests timed. */
  count: number;
}

/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Summarises a list of latencies. */
export function summariseLatency(values: readonly number[]): Latency {
  return {
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    maxMs: values.length === 0 ? Number.NaN : Math.max(...values),
    count: values.length,
  };
}

/**
 * Times `GET url` one request after another, `intervalMs` apart, until `signal` aborts; each
 * answer must be 200. Resolves with every latency in milliseconds.
 */
export async function pollLatency(url: string, intervalMs: number, signal: AbortSignal): Promise<number[]> {
  const times: number[] = [];
  while (!signal.aborted) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return times;
}
