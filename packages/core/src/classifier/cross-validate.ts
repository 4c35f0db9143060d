/**
 * Per-category thresholds chosen on held-out folds.
 *
 * The labels are split into k stratified folds (k = 5, fewer when a category has fewer
 * labels; the split is shuffled by the seed). Each fold is scored by a model trained on the
 * others. Beside the real held-out documents, each fold also scores *blends*: the first half
 * of a held-out document's words joined to the first half of another category's document's
 * (no file name) — the ambiguous page a person would not want guessed. A blend is a wrong
 * answer whatever category it gets.
 *
 * Rule: walk the held-out answers of a category from the highest score down; the threshold
 * is the lowest score t such that, at t and at every stricter cut, the answers decided are at
 * least 95 % right (blends counted as wrong), ending on a right answer. It is then moved halfway down to the next lower
 * score seen (usually the best-scoring wrong answer or blend), and clamped to [0.5, 0.95].
 * No held-out answers for the category, or a wrong answer at the very top: 0.95.
 */

import { buildTables } from './naive-bayes.js';
import { scoreDocument } from './score.js';
import { allIds, type EncodedDocument } from './vocabulary.js';

/** One held-out answer. */
export interface HeldOutAnswer {
  predicted: number;
  score: number;
  correct: boolean;
  /** The true category; null for a blend. */
  label: number | null;
}

export interface CrossValidationOptions {
  categories: number;
  vocabularySize: number;
  alpha: number;
  sharpness: number;
  seed: number;
  /** Fewer known text words than this and the answer is not used (it would go to review). */
  minTokens: number;
}

/** The precision the thresholds keep on held-out folds. */
export const TARGET_PRECISION = 0.95;
export const THRESHOLD_FLOOR = 0.5;
export const THRESHOLD_CEILING = 0.95;
const MAX_FOLDS = 5;

/** mulberry32, for the fold split and the blend partners. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stratified fold of each document; null when no category has 2 labels. A category with fewer
 * than 2 labels is left out of the folds (its documents always train, fold -1, and it gets no
 * held-out answers of its own), so one new category does not stop the others' validation.
 */
export function assignFolds(
  labels: readonly number[],
  categories: number,
  seed: number,
): { fold: number[]; k: number } | null {
  const members: number[][] = Array.from({ length: categories }, () => []);
  labels.forEach((c, i) => {
    members[c]!.push(i);
  });
  const validated = members.filter((m) => m.length >= 2);
  if (validated.length === 0) return null;
  const k = Math.min(MAX_FOLDS, ...validated.map((m) => m.length));
  const random = createRandom(seed);
  const fold = new Array<number>(labels.length).fill(-1);
  for (const list of validated) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    list.forEach((doc, i) => {
      fold[doc] = i % k;
    });
  }
  return { fold, k };
}

/** Scores every document (and one blend per document) with a model that did not see it. */
export function heldOutAnswers(
  docs: readonly EncodedDocument[],
  labels: readonly number[],
  folds: { fold: number[]; k: number },
  options: CrossValidationOptions,
): HeldOutAnswer[] {
  const { categories, vocabularySize, alpha, sharpness, minTokens } = options;
  const random = createRandom(options.seed ^ 0x9e3779b9);
  const answers: HeldOutAnswer[] = [];
  for (let f = 0; f < folds.k; f++) {
    const documents = new Array<number>(categories).fill(0);
    const counts = Array.from({ length: categories }, () => new Float64Array(vocabularySize));
    const heldOut: number[] = [];
    docs.forEach((doc, i) => {
      if (folds.fold[i] === f) {
        heldOut.push(i);
        return;
      }
      const c = labels[i]!;
      documents[c]!++;
      const row = counts[c]!;
      for (const id of allIds(doc)) row[id]!++;
    });
    const tables = buildTables(documents, counts, vocabularySize, alpha);
    const answer = (doc: EncodedDocument, label: number | null): HeldOutAnswer => {
      const { best, score } = scoreDocument(tables, doc, sharpness, minTokens);
      return { predicted: best, score, correct: best === label, label };
    };
    for (const i of heldOut) {
      const doc = docs[i]!;
      if (doc.text.length < minTokens) continue;
      answers.push(answer(doc, labels[i]!));
      const others = heldOut.filter((j) => labels[j] !== labels[i]);
      if (others.length === 0) continue;
      const partner = docs[others[Math.floor(random() * others.length)]!]!;
      const half = (ids: number[]) => ids.slice(0, Math.ceil(ids.length / 2));
      const blend = [...new Set([...half(doc.text), ...half(partner.text)])];
      answers.push(answer({ text: blend, name: [], rest: doc.rest }, null));
    }
  }
  return answers;
}

/** Held-out precision and recall of category `c` when it decides at `threshold`. */
export function rates(answers: readonly HeldOutAnswer[], c: number, threshold: number) {
  const decided = answers.filter((a) => a.predicted === c && a.score >= threshold);
  const right = decided.filter((a) => a.correct).length;
  const truth = answers.filter((a) => a.label === c).length;
  return {
    precision: decided.length === 0 ? null : right / decided.length,
    recall: truth === 0 ? null : right / truth,
  };
}

/** The threshold of category `c` from the held-out answers, by the rule above. */
export function chooseThreshold(answers: readonly HeldOutAnswer[], c: number): number {
  const mine = answers.filter((a) => a.predicted === c).sort((a, b) => b.score - a.score);
  let right = 0;
  let best = -1;
  for (let i = 0; i < mine.length; i++) {
    if (mine[i]!.correct) right++;
    // Only cut between distinct scores: equal scores are decided together.
    if (i + 1 < mine.length && mine[i + 1]!.score === mine[i]!.score) continue;
    if (right / (i + 1) < TARGET_PRECISION) break;
    best = i;
  }
  // End the cut on a right answer: a wrong one at its bottom only lowers precision.
  while (best >= 0 && !mine[best]!.correct) {
    const score = mine[best]!.score;
    while (best >= 0 && mine[best]!.score === score) best--;
  }
  if (best === -1) return THRESHOLD_CEILING;
  const at = mine[best]!.score;
  const below = mine[best + 1]?.score ?? THRESHOLD_FLOOR;
  return Math.min(THRESHOLD_CEILING, Math.max(THRESHOLD_FLOOR, (at + below) / 2));
}
