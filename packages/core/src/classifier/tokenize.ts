/**
 * Words of a text for the classifier: NFKC, lower case, runs of Unicode letters and digits,
 * English stop words and one-letter words dropped, and every number (including dates and
 * amounts, split at their punctuation) collapsed to the one token `#num`, since "2026" and
 * "1,250.00" say nothing about a category that "#num" does not.
 */

/** The token every number becomes. */
export const NUMBER_TOKEN = '#num';

const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how if in into is it its itself just me more most my ' +
    'myself no nor not now of off on once only or other our ours ourselves out over own same she should so ' +
    'some such than that the their theirs them themselves then there these they this those through to too ' +
    'under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves shall may also per via us'
  ).split(' '),
);

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const HAS_LETTER = /\p{L}/u;

/**
 * The tokens of `text`, in order, repeats kept; at most `maxTokens` of them.
 *
 * @example
 * tokenize('Invoice INV-2026-0042: total €1,250.00'); // ['invoice', 'inv', '#num', '#num', 'total', '#num', '#num', '#num']
 */
export function tokenize(text: string, maxTokens = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    if (out.length >= maxTokens) break;
    const word = match[0];
    if (!HAS_LETTER.test(word)) out.push(NUMBER_TOKEN);
    else if (word.length >= 2 && !STOP_WORDS.has(word)) out.push(word);
  }
  return out;
}
