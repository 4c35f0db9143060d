import { createId } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { createIdSource } from './ids.js';
import { isoAt } from './time.js';

describe('webhook ids', () => {
  it("follow core's layout and increase strictly, within one millisecond too", () => {
    let now = 1_764_460_800_123;
    const next = createIdSource(() => now);
    const ids = Array.from({ length: 2000 }, (_, i) => {
      if (i % 500 === 0) now += 1;
      return next();
    });
    for (const id of ids) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    expect(ids[0]!.slice(0, 10)).toBe(createId(1_764_460_800_124).slice(0, 10));
    expect(ids.at(-1)!.slice(0, 10)).toBe(createId(now).slice(0, 10));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('formats times as toISOString does', () => {
    for (const ms of [0, 1_764_460_800_123, 1_764_460_800_124, 1_764_460_800_123, 253_402_300_799_999]) {
      expect(isoAt(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
