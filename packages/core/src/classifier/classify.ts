/**
 * Classifying one file with a trained model: the best category, its posterior, the
 * category's threshold, whether that is enough to decide, and the words that weighed most.
 */
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import { extractFeatures } from './features.js';
import { argmax, buildTables, type NaiveBayesTables } from './naive-bayes.js';
import { scoreDocument } from './score.js';
import { NUMBER_TOKEN } from './tokenize.js';
import type { ClassifierModel, ClassifierSubject, ClassifierVerdict } from './types.js';
import { allIds, encode, indexOf } from './vocabulary.js';

/** How many explaining terms a verdict carries. */
const TERMS = 8;

interface Prepared {
  tables: NaiveBayesTables;
  index: Map<string, number>;
  numberId: number | undefined;
}

// Tables are derived from the model once; a parsed copy of the same JSON builds its own.
const prepared = new WeakMap<ClassifierModel, Prepared>();

function prepare(model: ClassifierModel): Prepared {
  const cached = prepared.get(model);
  if (cached) return cached;
  if (model?.version !== 1) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:classifier] Unsupported model version ${String(model?.version)}: retrain the classifier`,
    );
  }
  const size = model.vocabulary.length;
  const rows = model.categories.map((c) => model.counts[c]);
  if (rows.some((row) => !Array.isArray(row) || row.length !== size)) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      '[fileforge:classifier] Corrupt model: counts do not match the vocabulary; retrain the classifier',
    );
  }
  const documents = model.categories.map((c) => model.documents[c] ?? 0);
  const index = indexOf(model.vocabulary);
  const result = {
    tables: buildTables(documents, rows as number[][], size, model.params.alpha),
    index,
    numberId: index.get(NUMBER_TOKEN),
  };
  prepared.set(model, result);
  return result;
}

/**
 * Classifies `subject` with `model`. `decided` is `score >= threshold` of the winning
 * category, and false whatever the score when the text holds fewer than
 * `model.params.minTokens` distinct known words (a blank scan, a cover page): such files go
 * to review with `category` as the best guess and a `reason`. Never answers a category the
 * model was not trained on.
 *
 * @example
 * const verdict = classifyWith(model, subject);
 * if (!verdict.decided) queueForReview(subject, verdict.reason);
 */
export function classifyWith(model: ClassifierModel, subject: ClassifierSubject): ClassifierVerdict {
  const { tables, index, numberId } = prepare(model);
  const doc = encode(extractFeatures(subject), index);
  const ids = allIds(doc);
  const {
    posterior: p,
    best,
    score,
  } = scoreDocument(tables, doc, model.params.sharpness, model.params.minTokens);
  const category = model.categories[best]!;
  const threshold = Object.hasOwn(model.thresholds, category) ? model.thresholds[category]! : 1;
  const informativeTokens = doc.text.filter((id) => id !== numberId).length;
  const enoughText = informativeTokens >= model.params.minTokens;
  const decided = enoughText && score >= threshold;

  // Explaining terms: what pushed toward the winner over the runner-up, most first.
  const second = argmax(p.map((value, c) => (c === best ? -1 : value)));
  const win = tables.logLikelihood[best]!;
  const other = tables.logLikelihood[second]!;
  const terms = [...new Set(ids)]
    .map((id) => ({ token: model.vocabulary[id]!, weight: win[id]! - other[id]! }))
    .filter((t) => t.weight > 0)
    .sort((a, b) => b.weight - a.weight || (a.token < b.token ? -1 : 1))
    .slice(0, TERMS)
    .map((t) => t.token);

  const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
  const reason = decided
    ? null
    : !enoughText
      ? `Too little text to classify: ${informativeTokens} known word(s), at least ${model.params.minTokens} needed`
      : `Score ${percent(score)} for "${category}" is below its threshold ${percent(threshold)}`;
  return {
    category,
    score,
    threshold,
    decided,
    terms,
    reason,
    scores: Object.fromEntries(model.categories.map((c, i) => [c, p[i]!])),
    informativeTokens,
  };
}
