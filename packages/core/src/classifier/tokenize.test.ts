import { describe, expect, it } from 'vitest';
import { extractFeatures, MAX_TEXT_TOKENS } from './features.js';
import { tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('lower-cases, drops stop words and one-letter words, collapses numbers', () => {
    expect(tokenize('The Invoice INV-2026-0042: total €1,250.00 due in 30 days')).toEqual([
      'invoice',
      'inv',
      '#num',
      '#num',
      'total',
      '#num',
      '#num',
      '#num',
      'due',
      '#num',
      'days',
    ]);
  });

  it('keeps Unicode letters and folds compatibility forms', () => {
    expect(tokenize('Müller, Gdańsk — ＣＶ résumé')).toEqual(['müller', 'gdańsk', 'cv', 'résumé']);
  });

  it('keeps words that mix letters and digits', () => {
    expect(tokenize('A4 paper, covid19')).toEqual(['a4', 'paper', 'covid19']);
  });

  it('splits scripts written without spaces into words, so documents share them', () => {
    // Japanese, Chinese and Thai: a run of letters is a clause, not a word.
    const japanese = tokenize('請求書。合計金額は下記の通りです。');
    expect(japanese).toEqual(expect.arrayContaining(['請求', '書', '合計', '金額', '下記']));
    expect(japanese).not.toContain('合計金額は下記の通りです');
    expect(japanese).not.toContain('は'); // one kana: a particle, not a word
    expect(tokenize('发票总金额')).toEqual(['发票', '总', '金额']);
    expect(tokenize('ใบแจ้งหนี้ยอดรวม')).toEqual(['ใบ', 'แจ้ง', 'หนี้', 'ยอด', 'รวม']);
    // Mixed with Latin words and numbers, the count limit still holds.
    expect(tokenize('Invoice 请求书 2026', 3)).toEqual(['invoice', '请求', '书']);
  });
});

describe('extractFeatures', () => {
  it('prefixes name, mime and metadata tokens and buckets pages, size and length', () => {
    const features = extractFeatures({
      name: 'minutes 2026-03-04.docx',
      mime: 'application/PDF',
      size: 48_000,
      text: 'Minutes of the board meeting. Minutes approved.',
      metadata: { pdf: { pageCount: 3 } },
    });
    expect(features.text).toEqual(['minutes', 'board', 'meeting', 'approved']);
    expect(features.other).toEqual([
      'name:minutes',
      'name:#num',
      'mime:application/pdf',
      'meta:size:<100k',
      'meta:pages:2-3',
      'meta:words:<20',
    ]);
  });

  it('reads a bounded start of a huge text: tokens and vocabulary stay small (issue 10 review)', () => {
    // 5 MB of distinct words: every one would otherwise become a feature and a vocabulary entry.
    const words = Array.from({ length: 500_000 }, (_, i) => `w${i.toString(36)}x`);
    const started = Date.now();
    const features = extractFeatures({
      name: 'dump.txt',
      mime: 'text/plain',
      size: 5_000_000,
      text: words.join(' '),
      metadata: {},
    });
    expect(features.text.length).toBeLessThanOrEqual(MAX_TEXT_TOKENS);
    expect(features.text[0]).toBe('w0x');
    expect(features.other).toContain('meta:words:>=400');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
