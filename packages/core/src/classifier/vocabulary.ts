/**
 * The model's vocabulary: the `max` tokens found in the most labelled documents (ties by
 * token), stored sorted so the model JSON does not depend on the order labels arrived in.
 */
import type { Features } from './features.js';

/** A document as vocabulary ids: text words in order of appearance, name tokens, the rest. */
export interface EncodedDocument {
  text: number[];
  name: number[];
  rest: number[];
}

/** The sorted vocabulary of at most `max` tokens, by document frequency. */
export function buildVocabulary(documents: readonly Features[], max: number): string[] {
  const frequency = new Map<string, number>();
  for (const { text, other } of documents) {
    for (const token of text) frequency.set(token, (frequency.get(token) ?? 0) + 1);
    for (const token of other) frequency.set(token, (frequency.get(token) ?? 0) + 1);
  }
  const byFrequency = [...frequency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return byFrequency
    .slice(0, max)
    .map(([token]) => token)
    .sort();
}

/** A token → id lookup for `vocabulary`. */
export const indexOf = (vocabulary: readonly string[]): Map<string, number> =>
  new Map(vocabulary.map((token, i) => [token, i]));

/** The known tokens of `features` as ids; unknown tokens are dropped. */
export function encode(features: Features, index: ReadonlyMap<string, number>): EncodedDocument {
  const out: EncodedDocument = { text: [], name: [], rest: [] };
  for (const token of features.text) {
    const id = index.get(token);
    if (id !== undefined) out.text.push(id);
  }
  for (const token of features.other) {
    const id = index.get(token);
    if (id !== undefined) (token.startsWith('name:') ? out.name : out.rest).push(id);
  }
  return out;
}

/** All ids of a document, for scoring. */
export const allIds = (doc: EncodedDocument): number[] => [...doc.text, ...doc.name, ...doc.rest];
