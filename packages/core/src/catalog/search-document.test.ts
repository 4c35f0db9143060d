import { describe, expect, it } from 'vitest';
import { markedSnippet, parseMarkedSnippet, searchTerms } from './search-document.js';

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
