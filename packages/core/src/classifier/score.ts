/**
 * A document's score: the posterior of its best category, taken as the lowest over the
 * whole document and each half of its text (each half with the name and metadata). A page
 * whose halves disagree — half an invoice, half a contract — is not one the model should be
 * sure of, even when the whole leans one way; a real invoice is an invoice from top to
 * bottom.
 */
import { argmax, type NaiveBayesTables, posterior } from './naive-bayes.js';
import type { EncodedDocument } from './vocabulary.js';

/** The posterior over categories, the best one and its score. */
export interface DocumentScore {
  posterior: Float64Array;
  best: number;
  score: number;
}

/** Scores `doc`; texts shorter than `2 * minHalf` words are scored whole. */
export function scoreDocument(
  tables: NaiveBayesTables,
  doc: EncodedDocument,
  sharpness: number,
  minHalf: number,
): DocumentScore {
  const context = [...doc.name, ...doc.rest];
  const whole = posterior(tables, [...doc.text, ...context], sharpness);
  const best = argmax(whole);
  let score = whole[best]!;
  if (doc.text.length >= 2 * Math.max(1, minHalf)) {
    const middle = Math.ceil(doc.text.length / 2);
    for (const half of [doc.text.slice(0, middle), doc.text.slice(middle)]) {
      score = Math.min(score, posterior(tables, [...half, ...context], sharpness)[best]!);
    }
  }
  return { posterior: whole, best, score };
}
