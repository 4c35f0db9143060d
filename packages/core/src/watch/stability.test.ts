import { describe, expect, it } from 'vitest';
import { createStabilityTracker, type FileObservation } from './stability.js';

const seen = (entries: Record<string, FileObservation>) => new Map(Object.entries(entries));

describe('stability tracker', () => {
  it('makes a file ready only once size and mtime stayed unchanged for the window', () => {
    const tracker = createStabilityTracker(1000);
    expect(tracker.observe(seen({ a: { size: 1, mtimeMs: 1 } }), 0)).toEqual({ ready: [], nextDueAt: 1000 });
    expect(tracker.observe(seen({ a: { size: 1, mtimeMs: 1 } }), 999).ready).toEqual([]);
    expect(tracker.observe(seen({ a: { size: 1, mtimeMs: 1 } }), 1000).ready).toEqual(['a']);
  });

  it('restarts the window on every change of size or mtime', () => {
    const tracker = createStabilityTracker(1000);
    tracker.observe(seen({ a: { size: 1, mtimeMs: 1 } }), 0);
    expect(tracker.observe(seen({ a: { size: 2, mtimeMs: 1 } }), 900)).toEqual({
      ready: [],
      nextDueAt: 1900,
    });
    expect(tracker.observe(seen({ a: { size: 2, mtimeMs: 5 } }), 1800)).toEqual({
      ready: [],
      nextDueAt: 2800,
    });
    expect(tracker.observe(seen({ a: { size: 2, mtimeMs: 5 } }), 2799).ready).toEqual([]);
    expect(tracker.observe(seen({ a: { size: 2, mtimeMs: 5 } }), 2800).ready).toEqual(['a']);
  });

  it('forgets files that disappeared, so a new file of the same name waits a full window', () => {
    const tracker = createStabilityTracker(1000);
    tracker.observe(seen({ a: { size: 1, mtimeMs: 1 } }), 0);
    tracker.observe(seen({}), 500);
    expect(tracker.observe(seen({ a: { size: 1, mtimeMs: 1 } }), 1200)).toEqual({
      ready: [],
      nextDueAt: 2200,
    });
  });

  it('waits a full window for a file first seen with an old mtime', () => {
    const tracker = createStabilityTracker(1000);
    expect(tracker.observe(seen({ old: { size: 9, mtimeMs: -1e9 } }), 5000).ready).toEqual([]);
  });
});
