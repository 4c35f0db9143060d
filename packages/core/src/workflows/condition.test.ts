import { describe, expect, it } from 'vitest';
import { matchesFilter } from './condition.js';

describe('trigger filters', () => {
  it('glob matches, case-insensitively', () => {
    expect(matchesFilter({ field: 'name', op: 'glob', value: '*.PDF' }, { name: 'a.pdf' })).toBe(true);
    expect(matchesFilter({ field: 'name', op: 'glob', value: '*.png' }, { name: 'a.pdf' })).toBe(false);
  });

  it('a glob with many stars over a long value ends quickly as no match (issue 10 review)', () => {
    const started = Date.now();
    const hit = matchesFilter(
      { field: 'metadata.text', op: 'glob', value: '*a*a*a*a*a*a*a*a*a*b' },
      { metadata: { text: 'a'.repeat(5000) } },
    );
    expect(hit).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
