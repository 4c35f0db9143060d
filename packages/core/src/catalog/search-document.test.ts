import { describe, expect, it } from 'vitest';
import {
  INDEX_ONLY,
  indexTerms,
  markedSnippet,
  parseMarkedSnippet,
  reindexedField,
  searchDocumentOf,
  searchTerms,
} from './search-document.js';

/** The excerpt and its highlighted words, as an item's `match` carries them. */
const excerpt = (text: string, q: string) => {
  const marked = markedSnippet(text, searchTerms(q));
  const parsed = marked ? parseMarkedSnippet(marked) : null;
  return (
    parsed && {
      snippet: parsed.snippet,
      words: parsed.highlights.map((h) => parsed.snippet.slice(h.start, h.end)),
    }
  );
};

describe('markedSnippet', () => {
  it('cuts a few words before the first match and marks every match, the last word as a prefix', () => {
    expect(excerpt('Remittance for the marmalade consignment', 'marmalade')).toEqual({
      snippet: 'Remittance for the marmalade consignment',
      words: ['marmalade'],
    });
    const long = `${'filler '.repeat(200)}Invoice INV-42: the Marmalade total, marmalades shipped. ${'tail '.repeat(50)}`;
    expect(excerpt(long, 'marmalade')).toEqual({
      snippet:
        '…INV-42: the Marmalade total, marmalades shipped. tail tail tail tail tail tail tail tail tail…',
      words: ['Marmalade', 'marmalades'],
    });
    expect(excerpt(long, 'total marm')?.words).toEqual(['Marmalade', 'total', 'marmalades']);
  });

  it('matches with accents and case folded, as the index does, and finds nothing where no word matches', () => {
    expect(excerpt('Menu du Café de Flore', 'cafe')?.words).toEqual(['Café']);
    // Decomposed text: the letters are marked (a combining accent separates words, as in the index).
    expect(excerpt('Menu du Cafe\u0301 de Flore', 'café')?.words).toEqual(['Cafe']);
    // A word inside another is no match, nor is text without the word.
    expect(excerpt('the marmalades', 'marmalade x')).toBeNull();
    expect(excerpt('nothing to see', 'marmalade')).toBeNull();
  });

  it('finds a match at the end of a 100,000-character text', () => {
    const text = `${'lorem ipsum dolor sit amet '.repeat(3_700)}marmalade`;
    expect(markedSnippet(text, ['marmalade'])).toBe('…dolor sit amet \u0002marmalade\u0003');
  });
});

describe('Chinese and Japanese text', () => {
  it('is indexed as overlapping pairs of characters after the text, other scripts as they are', () => {
    const doc = searchDocumentOf({
      name: '会议.txt',
      metadata: { pdf: { text: '今天的会议记录，PDF文件 and more' } },
    });
    expect(doc.body).toBe(
      `今天的会议记录，PDF文件 and more${INDEX_ONLY}今天 天的 的会 会议 议记 记录 PDF 文件`,
    );
    expect(doc.name).toBe(`会议.txt${INDEX_ONLY}会议`);
    const latin = searchDocumentOf({ name: 'report.pdf', metadata: { pdf: { text: 'Café 회의록' } } });
    expect(latin.body).toBe('Café 회의록');
    // An entry an older version wrote gets its pairs once; a current one is left as it is.
    expect(reindexedField('請求書')).toBe(`請求書${INDEX_ONLY}請求 求書`);
    expect(reindexedField(reindexedField('請求書'))).toBe(`請求書${INDEX_ONLY}請求 求書`);
  });

  it('is looked up as the same pairs; a single character as a prefix', () => {
    expect(indexTerms(searchTerms('会议记录 budget'))).toEqual([
      { word: '会议', prefix: false },
      { word: '议记', prefix: false },
      { word: '记录', prefix: false },
      { word: 'budget', prefix: true },
    ]);
    expect(indexTerms(searchTerms('pdf文件'))).toEqual([
      { word: 'pdf', prefix: false },
      { word: '文件', prefix: false },
    ]);
    expect(indexTerms(searchTerms('会 report'))).toEqual([
      { word: '会', prefix: true },
      { word: 'report', prefix: true },
    ]);
    // However long the box's text, the query stays bounded.
    expect(indexTerms(searchTerms('字'.repeat(64).repeat(16).split('').join('')))).toHaveLength(32);
  });

  it('is marked where a word occurs inside a run, and the excerpt is cut in characters', () => {
    expect(excerpt('今天的会议记录：我们讨论了预算和发票。', '发票')).toEqual({
      snippet: '…讨论了预算和发票',
      words: ['发票'],
    });
    expect(excerpt(`${'说明文字'.repeat(50)}PDF文件的合計金額${'尾'.repeat(100)}`, 'pdf 金額')).toEqual({
      snippet: `…文字说明文字PDF文件的合計金額${'尾'.repeat(17)}…`,
      words: ['PDF', '金額'],
    });
    // The pairs after the text are never part of an excerpt.
    expect(markedSnippet(`会议记录${INDEX_ONLY}会议 议记 记录`, ['记录'])).toBe('会议\u0002记录\u0003');
    expect(markedSnippet(`plain${INDEX_ONLY}会议`, ['会议'])).toBeNull();
  });
});
