import { createRng } from '@fileforge/test-fixtures/random';
import { describe, expect, it } from 'vitest';
import { parseRange } from './range.js';

describe('parseRange', () => {
  it('reads the forms RFC 9110 allows for one range, and ignores or refuses the rest', () => {
    expect(parseRange('bytes=0-499', 1000)).toEqual({ start: 0, end: 499 });
    expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=-200', 1000)).toEqual({ start: 800, end: 999 });
    expect(parseRange('bytes=-2000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    // Ignored (the whole file, 200): absent, other units, several ranges, reversed, empty.
    for (const header of [undefined, '', 'items=0-1', 'bytes=0-1,5-6', 'bytes=5-3', 'bytes=-', 'bytes=a-b'])
      expect(parseRange(header, 1000), String(header)).toBeUndefined();
    // Outside the file (416).
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
  });

  it('never throws and never returns a range outside the file, whatever the header (seeded fuzz)', () => {
    const noise = ['bytes', '=', '-', ',', ' ', '\t', 'e', '+', '.', 'é', '\u0000', 'x', '0x1'];
    const counts = { ranges: 0, unsatisfiable: 0, ignored: 0 };
    for (let seed = 1; seed <= 3000; seed++) {
      const r = createRng(seed);
      const digits = () =>
        r.chance(0.15) ? '' : String(r.int(0, 10 ** r.int(0, 6))).repeat(r.chance(0.05) ? 5 : 1);
      const space = () => (r.chance(0.2) ? ' ' : '');
      let header = `${r.chance(0.9) ? 'bytes=' : r.pick(['Bytes=', 'bytes:', ''])}${space()}${digits()}${space()}-${space()}${digits()}`;
      // Some headers get bytes of noise spliced in anywhere.
      for (let i = r.chance(0.3) ? r.int(1, 3) : 0; i > 0; i--) {
        const at = r.int(0, header.length);
        header = header.slice(0, at) + r.pick(noise) + header.slice(at);
      }
      const size = r.pick([0, 1, 2, 999, 1000, 123_456, Number.MAX_SAFE_INTEGER]);
      const result = parseRange(header, size);
      if (result === undefined) counts.ignored++;
      else if (result === 'unsatisfiable') counts.unsatisfiable++;
      else {
        counts.ranges++;
        const where = `seed ${seed}: ${JSON.stringify(header)} of ${size}`;
        expect(Number.isSafeInteger(result.start), where).toBe(true);
        expect(Number.isSafeInteger(result.end), where).toBe(true);
        expect(result.start, where).toBeGreaterThanOrEqual(0);
        expect(result.end, where).toBeGreaterThanOrEqual(result.start);
        expect(result.end, where).toBeLessThan(size);
      }
    }
    // The generator reaches every outcome often, so the checks above are exercised.
    expect(counts.ranges).toBeGreaterThan(500);
    expect(counts.unsatisfiable).toBeGreaterThan(100);
    expect(counts.ignored).toBeGreaterThan(300);
  });
});
