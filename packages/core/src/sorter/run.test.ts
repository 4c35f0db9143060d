import { describe, expect, it } from 'vitest';
import { isNumberedVariant } from './run.js';

describe('isNumberedVariant', () => {
  it('recognises a numbered variant of a destination, and nothing else', () => {
    expect(isNumberedVariant('docs/a 2.txt', 'docs/a.txt')).toBe(true);
    expect(isNumberedVariant('docs/a 13.txt', 'docs/a.txt')).toBe(true);
    expect(isNumberedVariant('docs/a 1.txt', 'docs/a.txt')).toBe(false);
    expect(isNumberedVariant('docs/a.txt', 'docs/a.txt')).toBe(false);
    expect(isNumberedVariant('docs/ab 2.txt', 'docs/a.txt')).toBe(false);
    expect(isNumberedVariant('x/a (1) 2.txt', 'x/a (1).txt')).toBe(true);
    expect(isNumberedVariant('.env 2', '.env')).toBe(true);
  });
});
