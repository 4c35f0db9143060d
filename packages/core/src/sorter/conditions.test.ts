import { describe, expect, it } from 'vitest';
import { evaluateCondition, fieldValue } from './conditions.js';
import type { Condition } from './rule-schema.js';
import { testSubject } from './test-subject.js';

const subject = testSubject();
const matches = (condition: Condition) => evaluateCondition(condition, subject).matched;

describe('evaluateCondition', () => {
  it('eq and ne, case-sensitive unless asked', () => {
    expect(matches({ field: 'ext', op: 'eq', value: 'pdf' })).toBe(true);
    expect(matches({ field: 'ext', op: 'eq', value: 'PDF' })).toBe(false);
    expect(matches({ field: 'ext', op: 'eq', value: 'PDF', caseInsensitive: true })).toBe(true);
    expect(matches({ field: 'ext', op: 'ne', value: 'pdf' })).toBe(false);
    expect(matches({ field: 'size', op: 'eq', value: '120 kB' })).toBe(true);
  });

  it('in and nin', () => {
    expect(matches({ field: 'mime', op: 'in', value: ['image/png', 'application/pdf'] })).toBe(true);
    expect(matches({ field: 'mime', op: 'nin', value: ['image/png', 'application/pdf'] })).toBe(false);
    expect(matches({ field: 'mime', op: 'nin', value: ['image/png'] })).toBe(true);
  });

  it('gt, gte, lt, lte on sizes with units, numbers and dates', () => {
    expect(matches({ field: 'size', op: 'lte', value: '10 MiB' })).toBe(true);
    expect(matches({ field: 'size', op: 'gt', value: '120 kB' })).toBe(false);
    expect(matches({ field: 'size', op: 'gte', value: '120 kB' })).toBe(true);
    expect(matches({ field: 'size', op: 'lt', value: '117 KiB' })).toBe(false); // 119,808 bytes
    expect(matches({ field: 'metadata.image.width', op: 'gt', value: 4000 })).toBe(false);
    expect(matches({ field: 'metadata.image.width', op: 'gte', value: '800' })).toBe(true);
    expect(matches({ field: 'createdAt', op: 'gte', value: '2024-03-05' })).toBe(true);
    expect(matches({ field: 'createdAt', op: 'lt', value: '2024-03-05T10:00:00Z' })).toBe(false);
    expect(matches({ field: 'metadata.missing', op: 'lt', value: 5 })).toBe(false);
  });

  it('contains, startsWith, endsWith', () => {
    expect(matches({ field: 'name', op: 'contains', value: 'invoice' })).toBe(true);
    expect(matches({ field: 'name', op: 'contains', value: 'INVOICE' })).toBe(false);
    expect(matches({ field: 'name', op: 'startsWith', value: 'ACME' })).toBe(true);
    expect(matches({ field: 'name', op: 'endsWith', value: '.PDF', caseInsensitive: true })).toBe(true);
    expect(matches({ field: 'name', op: 'endsWith', value: '.doc' })).toBe(false);
  });

  it('glob is case-insensitive by default and takes a list', () => {
    expect(matches({ field: 'name', op: 'glob', value: '*INVOICE*' })).toBe(true);
    expect(matches({ field: 'name', op: 'glob', value: '*INVOICE*', caseInsensitive: false })).toBe(false);
    expect(matches({ field: 'name', op: 'glob', value: ['*.png', '*.pdf'] })).toBe(true);
    expect(matches({ field: 'name', op: 'glob', value: 'report*' })).toBe(false);
  });

  it('regex, with a warning instead of a hang', () => {
    expect(evaluateCondition({ field: 'name', op: 'regex', value: 'in\\w+e' }, subject)).toMatchObject({
      matched: true,
      words: ['invoice'],
    });
    const slow = evaluateCondition(
      { field: 'text', op: 'regex', value: '(a+)+$' },
      testSubject({ text: `${'a'.repeat(40)}!` }),
      { regexTimeoutMs: 10 },
    );
    expect(slow.matched).toBe(false);
    expect(slow.warning).toMatch(/gave up/);
  });

  it('glob with many stars gives up under the time limit instead of hanging (issue 10 review: picomatch backtracks polynomially)', () => {
    const started = Date.now();
    const slow = evaluateCondition(
      { field: 'text', op: 'glob', value: '*a*a*a*a*a*a*a*a*a*b' },
      testSubject({ text: 'a'.repeat(5000) }),
      { regexTimeoutMs: 20 },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(slow.matched).toBe(false);
    expect(slow.warning).toMatch(/gave up/);
    // A glob that does match long text still matches under the limit.
    expect(
      evaluateCondition(
        { field: 'text', op: 'glob', value: '*a*b*' },
        testSubject({ text: `${'a'.repeat(100_000)}b` }),
      ).matched,
    ).toBe(true);
  });

  it('exists', () => {
    expect(matches({ field: 'uploadedBy', op: 'exists' })).toBe(true);
    expect(matches({ field: 'metadata.pdf.pageCount', op: 'exists', value: true })).toBe(true);
    expect(matches({ field: 'metadata.pdf.title', op: 'exists' })).toBe(false);
    expect(matches({ field: 'metadata.pdf.title', op: 'exists', value: false })).toBe(true);
  });

  it('text conditions, not and nested groups', () => {
    const text = {
      field: 'text',
      algorithm: 'any',
      value: 'invoice "amount due"',
      caseInsensitive: true,
    } as const;
    expect(evaluateCondition(text, subject)).toEqual({
      description: 'text any "invoice "amount due""',
      matched: true,
      words: ['invoice', 'amount due'],
    });
    expect(matches({ not: { field: 'ext', op: 'eq', value: 'pdf' } })).toBe(false);
    const group: Condition = {
      match: 'any',
      conditions: [
        { field: 'ext', op: 'eq', value: 'docx' },
        { field: 'text', algorithm: 'exact', value: 'bc hydro', caseInsensitive: true },
      ],
    };
    expect(evaluateCondition(group, subject)).toMatchObject({ matched: true, words: ['bc hydro'] });
    expect(matches({ match: 'none', conditions: group.conditions })).toBe(false);
    expect(matches({ match: 'all', conditions: [] })).toBe(true);
  });
});

describe('fieldValue', () => {
  it('reads subject fields and metadata paths, never inherited properties', () => {
    expect(fieldValue(subject, 'metadata.pdf.pageCount')).toBe(2);
    expect(fieldValue(subject, 'metadata.pdf.constructor')).toBeUndefined();
    expect(fieldValue(subject, 'size')).toBe(120_000);
  });
});
