import { describe, expect, it } from 'vitest';
import { createRateWatch } from './min-rate.js';

/** A watch on a fake clock; `step` advances it, counts bytes and samples. */
function watch(minBytesPerSecond: number, windowMs: number) {
  let now = 0;
  const rate = createRateWatch({ minBytesPerSecond, windowMs, now: () => now });
  return {
    step(ms: number, bytes: number, waiting = true) {
      now += ms;
      rate.received(bytes);
      return rate.sample(waiting);
    },
  };
}

describe('createRateWatch (upload minimum rate, issue 7)', () => {
  it('refuses a body averaging under the minimum once a window of client time has passed', () => {
    const w = watch(1024, 1000);
    const verdicts = Array.from({ length: 12 }, () => w.step(100, 1));
    expect(verdicts.slice(0, 9)).toEqual(Array(9).fill(undefined));
    expect(verdicts[9]).toEqual({ bytesPerSecond: 10, windowMs: 1000 });
  });

  it('lets a body at or above the minimum go on, however long it takes', () => {
    const w = watch(1024, 1000);
    for (let i = 0; i < 1000; i++) expect(w.step(100, 103)).toBeUndefined();
  });

  it('does not count time the server itself paused the request', () => {
    const w = watch(1024, 1000);
    expect(w.step(100, 200)).toBeUndefined();
    // Storage is slow: the request is paused for a minute and nothing arrives.
    for (let i = 0; i < 600; i++) expect(w.step(100, 0, false)).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(w.step(100, 150)).toBeUndefined();
  });

  it('averages over the window, so a short stall between fast bursts is forgiven', () => {
    const w = watch(1024, 1000);
    for (let round = 0; round < 10; round++) {
      expect(w.step(100, 4096)).toBeUndefined();
      for (let i = 0; i < 5; i++) expect(w.step(100, 0)).toBeUndefined();
    }
  });

  it('judges the most recent window, not the average since the start', () => {
    const w = watch(1024, 1000);
    for (let i = 0; i < 50; i++) w.step(100, 100_000); // a fast start banks nothing
    const verdicts = Array.from({ length: 15 }, () => w.step(100, 0));
    expect(verdicts.find(Boolean)).toEqual({ bytesPerSecond: 0, windowMs: 1000 });
    expect(verdicts.findIndex(Boolean)).toBe(9);
  });

  it('never refuses when the minimum is 0', () => {
    const w = watch(0, 1000);
    for (let i = 0; i < 100; i++) expect(w.step(100, 0)).toBeUndefined();
  });
});
