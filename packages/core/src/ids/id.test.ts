import { describe, expect, it } from 'vitest';
import { createIsoFormatter } from '../catalog/iso-time.js';
import { createId, createIdSource, isId } from './id.js';

describe('createId', () => {
  it('makes distinct, well-formed ids that sort by time, across many refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => createId(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(isId)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('takes its random part from the given source', () => {
    expect(createId(0, (n) => new Uint8Array(n))).toBe('0'.repeat(26));
  });
});

describe('createIdSource', () => {
  it("follows createId's layout and increases strictly, within one millisecond too", () => {
    let now = 1_764_460_800_123;
    const next = createIdSource(() => now);
    const ids = Array.from({ length: 2000 }, (_, i) => {
      if (i % 500 === 0) now += 1;
      return next();
    });
    expect(ids.every(isId)).toBe(true);
    expect(ids[0]!.slice(0, 10)).toBe(createId(1_764_460_800_124).slice(0, 10));
    expect(ids.at(-1)!.slice(0, 10)).toBe(createId(now).slice(0, 10));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never goes backwards when the clock does', () => {
    let now = 1_764_460_800_500;
    const next = createIdSource(() => now);
    const first = next();
    now -= 400;
    const second = next();
    expect(second > first).toBe(true);
    expect(second.slice(0, 10)).toBe(first.slice(0, 10));
  });
});

describe('createIsoFormatter', () => {
  it('formats times as toISOString does, repeated and alternating inputs included', () => {
    const iso = createIsoFormatter();
    for (const ms of [
      0, 1_764_460_800_123, 1_764_460_800_124, 1_764_460_800_123, 1_764_460_800_124, 253_402_300_799_999,
    ]) {
      expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
