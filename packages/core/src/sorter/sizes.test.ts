import { describe, expect, it } from 'vitest';
import { parseSize } from './sizes.js';

describe('parseSize', () => {
  it('reads SI and IEC units', () => {
    expect(parseSize('5 MB')).toBe(5_000_000);
    expect(parseSize('5 MiB')).toBe(5 * 1024 * 1024);
    expect(parseSize('1.5kb')).toBe(1500);
    expect(parseSize('2 GiB')).toBe(2 ** 31);
    expect(parseSize('10 B')).toBe(10);
    expect(parseSize('42')).toBe(42);
    expect(parseSize(1024)).toBe(1024);
  });

  it('refuses what is not a size', () => {
    expect(parseSize('5 M')).toBeNull();
    expect(parseSize('five MB')).toBeNull();
    expect(parseSize(-1)).toBeNull();
    expect(parseSize(null)).toBeNull();
  });
});
