/**
 * Training: labelled files in, a small JSON model out. Pure and deterministic: the same
 * labels (in any order), seed and clock give a byte-identical `JSON.stringify(model)`.
 */
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import {
  assignFolds,
  chooseThreshold,
  type HeldOutAnswer,
  heldOutAnswers,
  rates,
  THRESHOLD_CEILING,
} from './cross-validate.js';
import { extractFeatures } from './features.js';
import type { ClassifierModel, LabelledExample, ThresholdReport, TrainOptions } from './types.js';
import { allIds, buildVocabulary, encode, indexOf } from './vocabulary.js';

/** Laplace smoothing. */
const ALPHA = 1;
/** Multiplies the per-feature log joint before the softmax; see naive-bayes.ts. */
export const SHARPNESS = 2;

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function invalid(message: string, details?: Record<string, unknown>): FileForgeError {
  return new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:classifier] ${message}`, { details });
}

/**
 * Trains a classifier from files whose category a person confirmed or corrected.
 *
 * Thresholds come from cross-validation (see `cross-validate.ts`): per category, the lowest
 * posterior at which held-out decisions were ≥ 95 % right, clamped to [0.5, 0.95]; 0.95 when a
 * category has fewer than 2 labels. `options.thresholds` overrides them per category.
 *
 * @throws FileForgeError `VALIDATION_FAILED` with fewer than 2 categories, an empty category
 *   name or a threshold outside [0, 1] or for a category without labels
 * @example
 * const model = trainClassifier(labels, { seed: 1 });
 * await catalog.saveModel(JSON.stringify(model));
 */
export function trainClassifier(
  examples: readonly LabelledExample[],
  options: TrainOptions = {},
): ClassifierModel {
  const { seed = 1, now = Date.now, maxVocabulary = 5000, minTokens = 3 } = options;
  if (!Number.isInteger(seed)) throw invalid(`seed must be an integer, got ${seed}`);
  if (!(Number.isInteger(maxVocabulary) && maxVocabulary > 0))
    throw invalid('maxVocabulary must be a positive integer');
  if (!(Number.isInteger(minTokens) && minTokens >= 0))
    throw invalid('minTokens must be a non-negative integer');
  for (const { category } of examples) {
    if (typeof category !== 'string' || category === '')
      throw invalid('Every label needs a non-empty category');
  }
  const categories = [...new Set(examples.map((e) => e.category))].sort();
  if (categories.length < 2) {
    throw invalid(`Training needs labels of at least 2 categories, got ${categories.length}`, { categories });
  }
  for (const [category, value] of Object.entries(options.thresholds ?? {})) {
    if (!categories.includes(category))
      throw invalid(`Threshold given for "${category}", which has no labels`);
    if (!(value >= 0 && value <= 1))
      throw invalid(`Threshold of "${category}" must be within [0, 1], got ${value}`);
  }

  // Sort the examples first, so the order labels arrived in changes nothing.
  const features = examples
    .map((e) => ({ features: extractFeatures(e.subject), category: e.category }))
    .map((e) => ({
      ...e,
      key: `${e.category}\u0000${e.features.text.join(' ')}\u0000${e.features.other.join(' ')}`,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const vocabulary = buildVocabulary(
    features.map((e) => e.features),
    maxVocabulary,
  );
  const index = indexOf(vocabulary);
  const docs = features.map((e) => encode(e.features, index));
  const labels = features.map((e) => categories.indexOf(e.category));

  const documents = new Array<number>(categories.length).fill(0);
  const counts = categories.map(() => new Array<number>(vocabulary.length).fill(0));
  docs.forEach((doc, i) => {
    documents[labels[i]!]!++;
    for (const id of allIds(doc)) counts[labels[i]!]![id]!++;
  });

  const folds = assignFolds(labels, categories.length, seed);
  const answers: HeldOutAnswer[] = folds
    ? heldOutAnswers(docs, labels, folds, {
        categories: categories.length,
        vocabularySize: vocabulary.length,
        alpha: ALPHA,
        sharpness: SHARPNESS,
        seed,
        minTokens,
      })
    : [];

  // Built from entries, never by assignment: a category named `__proto__` is a key like any other.
  const perCategory = categories.map((category, c) => {
    const given =
      options.thresholds && Object.hasOwn(options.thresholds, category)
        ? options.thresholds[category]
        : undefined;
    // A category with fewer than 2 labels has no held-out answers (see assignFolds).
    const validated = folds !== null && documents[c]! >= 2;
    const threshold = given ?? (validated ? round(chooseThreshold(answers, c)) : THRESHOLD_CEILING);
    const measured = validated ? rates(answers, c, threshold) : { precision: null, recall: null };
    const report: ThresholdReport = {
      source: given !== undefined ? 'given' : validated ? 'cross-validation' : 'too-few-labels',
      precision: measured.precision === null ? null : round(measured.precision),
      recall: measured.recall === null ? null : round(measured.recall),
    };
    return { category, threshold, report };
  });
  const thresholds: Record<string, number> = Object.fromEntries(
    perCategory.map((p) => [p.category, p.threshold]),
  );
  const thresholdReport: Record<string, ThresholdReport> = Object.fromEntries(
    perCategory.map((p) => [p.category, p.report]),
  );

  const real = answers.filter((a) => a.label !== null);
  const decided = real.filter((a) => a.score >= thresholds[categories[a.predicted]!]!);
  const evaluation =
    folds && real.length > 0
      ? {
          folds: folds.k,
          accuracy: round(real.filter((a) => a.correct).length / real.length),
          decidedRate: round(decided.length / real.length),
          decidedAccuracy:
            decided.length === 0 ? 0 : round(decided.filter((a) => a.correct).length / decided.length),
        }
      : null;

  return {
    version: 1,
    categories,
    trainedAt: new Date(now()).toISOString(),
    labelCount: examples.length,
    params: { alpha: ALPHA, sharpness: SHARPNESS, minTokens, maxVocabulary, seed },
    thresholds,
    thresholdReport,
    evaluation,
    vocabulary,
    documents: Object.fromEntries(categories.map((category, c) => [category, documents[c]!])),
    counts: Object.fromEntries(categories.map((category, c) => [category, counts[c]!])),
  };
}
