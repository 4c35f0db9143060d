import { describe, expect, it } from 'vitest';
import { partialRatio } from './fuzzy.js';
import { runRegex } from './regex-run.js';
import { matchText, splitTerms } from './text-match.js';

describe('matchText', () => {
  it('none never matches', () => {
    expect(matchText('none', 'invoice', 'invoice').matched).toBe(false);
  });

  it('any matches a whole word or a quoted phrase and names what matched', () => {
    const found = matchText('any', 'receipt "amount due"', 'Total amount\n due: 5 EUR');
    expect(found).toEqual({ matched: true, words: ['amount due'] });
    expect(matchText('any', 'invoice', 'these are invoices').matched).toBe(false);
    expect(matchText('any', 'invoice', 'INVOICE 42').matched).toBe(true);
    expect(matchText('any', 'invoice', 'INVOICE 42', { caseInsensitive: false }).matched).toBe(false);
  });

  it('all needs every term', () => {
    expect(matchText('all', 'invoice "amount due"', 'invoice: amount due 5').words).toEqual([
      'invoice',
      'amount due',
    ]);
    expect(matchText('all', 'invoice "amount due"', 'invoice: amount 5').matched).toBe(false);
  });

  it('exact needs the whole string with word boundaries', () => {
    expect(matchText('exact', 'bc hydro', 'abc hydrox').matched).toBe(false);
    expect(matchText('exact', 'bc hydro', 'Bill from BC Hydro')).toEqual({
      matched: true,
      words: ['bc hydro'],
    });
    expect(matchText('exact', 'bc hydro', 'hydro bc').matched).toBe(false);
  });

  it('regex searches, case-insensitively by default', () => {
    expect(matchText('regex', 'inv-\\d{4}', 'Ref INV-2024')).toEqual({ matched: true, words: ['INV-2024'] });
    expect(matchText('regex', 'inv-\\d{4}', 'Ref INV-2024', { caseInsensitive: false }).matched).toBe(false);
  });

  it('a catastrophic regex comes back promptly as no match with a warning', () => {
    const found = matchText('regex', '(a+)+$', `${'a'.repeat(40)}!`, { regexTimeoutMs: 20 });
    expect(found.matched).toBe(false);
    expect(found.warning).toMatch(/gave up after 20 ms/);
    // The same (cached) pattern still works on input it can finish; a generous limit, so a
    // stalled machine cannot turn this check into a time-out.
    expect(matchText('regex', '(a+)+$', 'aaa', { regexTimeoutMs: 5_000 })).toEqual({
      matched: true,
      words: ['aaa'],
    });
  });

  it('a bad regex is no match with a warning, never an exception', () => {
    const found = matchText('regex', '(unclosed', 'unclosed');
    expect(found.matched).toBe(false);
    expect(found.warning).toMatch(/Invalid regular expression/);
  });

  it('fuzzy ignores punctuation and needs 90 % partial similarity', () => {
    const near = matchText('fuzzy', 'A.C.M.E. Corporation', 'invoice from acme corporatoin ltd');
    expect(near.matched).toBe(true);
    expect(near.score).toBeGreaterThanOrEqual(90);
    expect(near.words).toEqual(['acme corporatoin']);
    const far = matchText('fuzzy', 'bc hydro', 'your bill from bc hidro');
    expect(far.matched).toBe(false);
    expect(far.score).toBe(87.5);
  });

  it('fuzzy over a huge text searches its start only, so one file cannot cost minutes (issue 10 review)', () => {
    const started = Date.now();
    const text = `acme corporation ${'lorem ipsum '.repeat(1_000_000)}`;
    expect(matchText('fuzzy', 'A.C.M.E. Corporation'.repeat(12), text).matched).toBe(false);
    expect(matchText('fuzzy', 'acme corporation', text).matched).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('auto follows the model verdict and its threshold', () => {
    const verdict = { category: 'invoices', score: 0.93, threshold: 0.8, decided: true, terms: ['invoice'] };
    expect(matchText('auto', '', '', { verdict, category: 'invoices' })).toEqual({
      matched: true,
      score: 0.93,
      words: ['invoice'],
    });
    expect(matchText('auto', '', '', { verdict, category: 'contracts' }).matched).toBe(false);
    expect(
      matchText('auto', '', '', { verdict: { ...verdict, decided: false }, category: 'invoices' }).matched,
    ).toBe(false);
    expect(matchText('auto', '', '', { category: 'invoices' }).warning).toMatch(/No classifier/);
  });
});

describe('splitTerms', () => {
  it('splits on whitespace and keeps quoted phrases whole', () => {
    expect(splitTerms(' invoice  "amount   due" total ')).toEqual(['invoice', 'amount due', 'total']);
  });
});

describe('partialRatio', () => {
  it('scores the best stretch of the longer string', () => {
    expect(partialRatio('hydro', 'bc hydro bill')).toEqual({ score: 100, found: 'hydro' });
    expect(partialRatio('invoice', 'an invoce')).toEqual({ score: 92.31, found: 'invoce' });
    expect(partialRatio('acme corporation', 'acme corporatoin').score).toBe(93.75);
    expect(partialRatio('', '').score).toBe(100);
    expect(partialRatio('abc', 'xyz').score).toBe(0);
  });
});

describe('runRegex', () => {
  it('reports the first match and its position', () => {
    expect(runRegex('b+', 'abbbc')).toEqual({ match: { text: 'bbb', index: 1 } });
    expect(runRegex('z', 'abc')).toEqual({ match: null });
  });
});
