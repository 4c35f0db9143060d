import { describe, expect, it } from 'vitest';
import { createId, isId } from './id.js';

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
