/**
 * Multinomial naive Bayes over binarised documents (each token counted once per document,
 * which Jurafsky & Martin note works better for text than raw counts), with Laplace
 * smoothing and log-probabilities.
 *
 * The posterior is a softmax of each category's log joint probability divided by the number
 * of features and multiplied by a fixed sharpness: a plain posterior over hundreds of tokens
 * is almost always 0.99999, whatever the document, so it cannot tell a clear invoice from a
 * page that is half invoice, half contract. Per feature, it can.
 */

/** Per-category tables ready to score with. */
export interface NaiveBayesTables {
  logPrior: Float64Array;
  /** `logLikelihood[c][t]` = log p(token t | category c). */
  logLikelihood: Float64Array[];
}

/** Builds the tables from document counts (`documents[c]`) and token counts (`counts[c][t]`). */
export function buildTables(
  documents: readonly number[],
  counts: readonly (readonly number[] | Float64Array)[],
  vocabularySize: number,
  alpha: number,
): NaiveBayesTables {
  const totalDocuments = documents.reduce((a, b) => a + b, 0);
  const categories = documents.length;
  const logPrior = new Float64Array(categories);
  const logLikelihood: Float64Array[] = [];
  for (let c = 0; c < categories; c++) {
    // Every category keeps a little prior mass, so one with few labels is not ruled out.
    logPrior[c] = Math.log((documents[c]! + 1) / (totalDocuments + categories));
    const row = counts[c]!;
    let total = 0;
    for (let t = 0; t < vocabularySize; t++) total += row[t]!;
    const denominator = Math.log(total + alpha * vocabularySize);
    const out = new Float64Array(vocabularySize);
    for (let t = 0; t < vocabularySize; t++) out[t] = Math.log(row[t]! + alpha) - denominator;
    logLikelihood.push(out);
  }
  return { logPrior, logLikelihood };
}

/** Posterior of each category for a document given as distinct vocabulary ids. */
export function posterior(tables: NaiveBayesTables, ids: ArrayLike<number>, sharpness: number): Float64Array {
  const { logPrior, logLikelihood } = tables;
  const n = Math.max(1, ids.length);
  const z = new Float64Array(logPrior.length);
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < z.length; c++) {
    const row = logLikelihood[c]!;
    let joint = logPrior[c]!;
    for (let i = 0; i < ids.length; i++) joint += row[ids[i]!]!;
    z[c] = (sharpness * joint) / n;
    if (z[c]! > max) max = z[c]!;
  }
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c]! - max);
    sum += z[c]!;
  }
  for (let c = 0; c < z.length; c++) z[c] = z[c]! / sum;
  return z;
}

/** Index of the largest value; the first on ties, so the answer does not depend on luck. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
