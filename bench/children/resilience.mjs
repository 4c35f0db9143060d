/**
 * Child: the resilience primitives of the built `@fileforge/core` beside cockatiel 3 and
 * opossum 9, in one process so every subject meets the same machine state. For each scenario
 * (direct call, breaker closed + success, breaker open fast reject, retry with 0 retries, the
 * full composition) and each library it times `calls` sequential `await`s after a warm-up,
 * and measures heap bytes per call as the median heap growth over GC-free batches.
 * Usage (through runChild): resilience.mjs <calls>
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as ff from '@fileforge/core';
import * as ck from 'cockatiel';
import Opossum from 'opossum';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const calls = Number(process.argv[2] ?? 100_000);
/** Passes over every subject, rotating the library order; a subject keeps its fastest pass. */
const PASSES = 3;
const WARMUP = 30_000;
const BATCH = 1_000;
const BATCHES = 21;

const action = async () => 1;
const value = { ok: true };

/** @type {Record<string, Record<string, () => Promise<unknown>>>} scenario → library → one call */
function subjects() {
  const ffBreaker = new ff.CircuitBreaker({ openAfterFailures: 5, resetTimeoutMs: 30_000 });
  const ffOpen = new ff.CircuitBreaker();
  ffOpen.isolate();
  const ffRetry = ff.retry({ maxRetries: 0 });
  const fallbacks = ff.createFallbacks();
  fallbacks.registerFallback('bench', () => value);
  const ffWrap = ff.wrap(
    fallbacks.for('bench'),
    ff.retry({ maxRetries: 3 }),
    new ff.CircuitBreaker({ openAfterFailures: 5, resetTimeoutMs: 30_000 }),
    ff.timeout(30_000),
  );

  const ckBreaker = ck.circuitBreaker(ck.handleAll, {
    halfOpenAfter: 30_000,
    breaker: new ck.ConsecutiveBreaker(5),
  });
  const ckOpen = ck.circuitBreaker(ck.handleAll, {
    halfOpenAfter: 30_000,
    breaker: new ck.ConsecutiveBreaker(5),
  });
  ckOpen.isolate();
  const ckRetry = ck.retry(ck.handleAll, { maxAttempts: 0 });
  const ckWrap = ck.wrap(
    ck.fallback(ck.handleAll, () => value),
    ck.retry(ck.handleAll, { maxAttempts: 3, backoff: new ck.ExponentialBackoff() }),
    ck.circuitBreaker(ck.handleAll, { halfOpenAfter: 30_000, breaker: new ck.ConsecutiveBreaker(5) }),
    ck.timeout(30_000, ck.TimeoutStrategy.Aggressive),
  );

  // opossum: timeout off for the bare breaker (its default arms a 10 s timer per call)
  const opBreaker = new Opossum(action, { timeout: false, resetTimeout: 30_000 });
  const opOpen = new Opossum(action, { timeout: false, resetTimeout: 30_000 });
  opOpen.open();
  const opFull = new Opossum(action, { timeout: 30_000, resetTimeout: 30_000 });
  opFull.fallback(() => value);
  const shutdown = () => {
    for (const b of [opBreaker, opOpen, opFull]) b.shutdown();
  };

  const swallow = () => {};
  return {
    shutdown,
    scenarios: {
      'direct await fn()': { fileforge: () => action() },
      'breaker closed + success': {
        fileforge: () => ffBreaker.execute(action),
        cockatiel: () => ckBreaker.execute(action),
        opossum: () => opBreaker.fire(),
      },
      'breaker open, fast reject': {
        fileforge: () => ffOpen.execute(action).catch(swallow),
        cockatiel: () => ckOpen.execute(action).catch(swallow),
        opossum: () => opOpen.fire().catch(swallow),
      },
      'retry, 0 retries': {
        fileforge: () => ffRetry.execute(action),
        cockatiel: () => ckRetry.execute(action),
      },
      'full composition': {
        fileforge: () => ffWrap.execute(action),
        cockatiel: () => ckWrap.execute(action),
        // opossum has no retry: breaker + 30 s timeout + fallback
        opossum: () => opFull.fire(),
      },
    },
  };
}

async function loop(run, n) {
  for (let i = 0; i < n; i++) await run();
}

async function measure(run) {
  await loop(run, WARMUP);
  gc();
  const start = process.hrtime.bigint();
  await loop(run, calls);
  const ns = Number(process.hrtime.bigint() - start) / calls;
  const growth = [];
  for (let b = 0; b < BATCHES; b++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    await loop(run, BATCH);
    growth.push((process.memoryUsage().heapUsed - before) / BATCH);
  }
  growth.sort((a, b) => a - b);
  return { ns, heapBytes: Math.max(0, growth[Math.floor(BATCHES / 2)]) };
}

const { scenarios, shutdown } = subjects();
/** @type {Map<string, { scenario: string; library: string; ns: number; heapBytes: number }>} */
const best = new Map();
const started = performance.now();
for (let pass = 0; pass < PASSES; pass++) {
  for (const [scenario, libraries] of Object.entries(scenarios)) {
    const entries = Object.entries(libraries);
    const shift = pass % entries.length;
    for (const [library, run] of [...entries.slice(shift), ...entries.slice(0, shift)]) {
      const m = await measure(run);
      const key = `${scenario}\0${library}`;
      const prior = best.get(key);
      if (!prior || m.ns < prior.ns)
        best.set(key, {
          scenario,
          library,
          ...m,
          heapBytes: Math.min(m.heapBytes, prior?.heapBytes ?? Infinity),
        });
    }
  }
}
const order = ['fileforge', 'cockatiel', 'opossum'];
const results = [...best.values()].sort(
  (a, b) =>
    Object.keys(scenarios).indexOf(a.scenario) - Object.keys(scenarios).indexOf(b.scenario) ||
    order.indexOf(a.library) - order.indexOf(b.library),
);
const ms = performance.now() - started;
shutdown();
reportToParent({ calls, ms, results, peakRssBytes: ownPeakRss() });
