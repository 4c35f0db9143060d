import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../queue/backoff.js';
import { backoffDelay, type Jitter } from './backoff.js';

const base = { retryDelayMs: 100, maxRetryDelayMs: 10_000, random: () => 0.5 };
const series = (jitter: Jitter, count: number) =>
  [...Array(count).keys()].map((n) => backoffDelay(n, { ...base, jitter }));

describe('backoffDelay', () => {
  it('grows exponentially without jitter: 100, 200, 400, 800, 1600, 3200', () => {
    expect(series('none', 6)).toEqual([100, 200, 400, 800, 1600, 3200]);
  });

  it('full jitter with r = 0.5: 50, 100, 200, 400', () => {
    expect(series('full', 4)).toEqual([50, 100, 200, 400]);
  });

  it('equal jitter with r = 0.5: 75, 150, 300, 600', () => {
    expect(series('equal', 4)).toEqual([75, 150, 300, 600]);
  });

  it('decorrelated jitter with r = 0.5, each from the previous delay: 200, 350, 575, 912.5', () => {
    const delays: number[] = [];
    let previousDelayMs = base.retryDelayMs;
    for (let n = 0; n < 4; n++) {
      previousDelayMs = backoffDelay(n, { ...base, jitter: 'decorrelated', previousDelayMs });
      delays.push(previousDelayMs);
    }
    expect(delays).toEqual([200, 350, 575, 912.5]);
  });

  it('is capped by maxRetryDelayMs', () => {
    expect(backoffDelay(20, { ...base, jitter: 'none' })).toBe(10_000);
    expect(backoffDelay(0, { ...base, jitter: 'decorrelated', previousDelayMs: 9000 })).toBe(10_000);
  });

  it('defaults: 1 s doubling to 10 s with full jitter', () => {
    expect(backoffDelay(0, { random: () => 0.999 })).toBeCloseTo(999);
    expect(backoffDelay(10, { random: () => 0.5 })).toBe(5000);
  });

  it('is never NaN or Infinity, whatever n, options or random source', () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.double({ min: 1e-9, max: 1e6, noNaN: true }),
        fc.constantFrom<Jitter>('none', 'full', 'equal', 'decorrelated'),
        fc.double(),
        fc.double(),
        (n, retryDelayMs, maxRetryDelayMs, exponentialBase, jitter, r, previousDelayMs) => {
          const d = backoffDelay(n, {
            retryDelayMs,
            maxRetryDelayMs,
            exponentialBase,
            jitter,
            random: () => r,
            previousDelayMs,
          });
          expect(Number.isFinite(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(maxRetryDelayMs);
        },
      ),
    );
  });

  it('rejects options that cannot give a finite delay', () => {
    expect(() => backoffDelay(0, { retryDelayMs: Number.NaN })).toThrow(/retryDelayMs/);
    expect(() => backoffDelay(0, { maxRetryDelayMs: Number.POSITIVE_INFINITY })).toThrow(/maxRetryDelayMs/);
    expect(() => backoffDelay(0, { exponentialBase: 0 })).toThrow(/exponentialBase/);
    expect(() => backoffDelay(0, { jitter: 'wild' as Jitter })).toThrow(/jitter/);
  });
});

describe('exponentialBackoff (the queue and outbox delay)', () => {
  it('keeps its equal-jitter series on top of backoffDelay', () => {
    const delay = exponentialBackoff({ initialMs: 1000, maxMs: 60_000, random: () => 0.5 });
    expect([1, 2, 3, 4, 10].map(delay)).toEqual([750, 1500, 3000, 6000, 45_000]);
  });
});
