/**
 * Words of a text for the classifier: NFKC, lower case, runs of Unicode letters and digits,
 * English stop words and one-letter words dropped, and every number (including dates and
 * amounts, split at their punctuation) collapsed to the one token `#num`, since "2026" and
 * "1,250.00" say nothing about a category that "#num" does not.
 *
 * Scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) are split
 * into words by ICU's dictionary-based word breaker (`Intl.Segmenter`, the same for every
 * locale), where a run of letters would be a whole clause that no other document shares; a
 * one-character Han word is kept (書, 额 carry meaning), other one-character words are not.
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
/** Scripts written without spaces between words. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const HAN = /^\p{Script=Han}$/u;

let segmenter: Intl.Segmenter | undefined;

/** The words of a run of letters in a script written without spaces. */
function* unspacedWords(run: string): Generator<string> {
  // 'und': the root locale, so the words do not depend on the machine's locale.
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
  for (const part of segmenter.segment(run)) if (part.isWordLike) yield part.segment;
}

/**
 * The tokens of `text`, in order, repeats kept; at most `maxTokens` of them.
 *
 * @example
 * tokenize('Invoice INV-2026-0042: total €1,250.00'); // ['invoice', 'inv', '#num', '#num', 'total', '#num', '#num', '#num']
 */
export function tokenize(text: string, maxTokens = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  const add = (word: string) => {
    if (!HAS_LETTER.test(word)) out.push(NUMBER_TOKEN);
    else if ((word.length >= 2 || HAN.test(word)) && !STOP_WORDS.has(word)) out.push(word);
  };
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    if (out.length >= maxTokens) break;
    const run = match[0];
    if (!UNSPACED.test(run)) {
      add(run);
      continue;
    }
    for (const word of unspacedWords(run)) {
      if (out.length >= maxTokens) break;
      add(word);
    }
  }
  return out;
}
