/**
 * The learned classifier's public shapes: what it trains on, the model it produces (plain
 * JSON, so the catalog can store it) and the verdict it gives.
 */

import type { ModelVerdict } from '../sorter/decide.js';
import type { SortSubject } from '../sorter/subject.js';

export type { ModelVerdict };

/** The fields of a {@link SortSubject} the classifier reads; any `SortSubject` will do. */
export type ClassifierSubject = Pick<SortSubject, 'name' | 'mime' | 'size' | 'text' | 'metadata'>;

/** A file whose category a person confirmed or corrected. */
export interface LabelledExample {
  subject: ClassifierSubject;
  category: string;
}

/** A {@link ModelVerdict} with the classifier's own detail for the explanation. */
export interface ClassifierVerdict extends ModelVerdict {
  /** The tokens that pushed most toward `category` over the runner-up, strongest first. */
  terms: string[];
  /** Why the file was not decided (too little content, score below threshold); null when decided. */
  reason: string | null;
  /** Posterior of every category, in the model's category order. */
  scores: Record<string, number>;
  /** Distinct known words of the text that the verdict rests on. */
  informativeTokens: number;
}

/** How each category's threshold was chosen; kept in the model for the explanation. */
export interface ThresholdReport {
  /** `cross-validation`, `given` (the `thresholds` option) or `too-few-labels` (fewer than 2: 0.95). */
  source: 'cross-validation' | 'given' | 'too-few-labels';
  /** Held-out precision of this category's decisions at the chosen threshold (blends counted as wrong). */
  precision: number | null;
  /** Share of this category's held-out documents decided, and rightly, at the chosen threshold. */
  recall: number | null;
}

/**
 * A trained model: plain JSON with sorted keys and categories, so the same labels and seed
 * give byte-identical `JSON.stringify` output.
 */
export interface ClassifierModel {
  version: 1;
  /** Categories, sorted. */
  categories: string[];
  /** ISO time of training (from the injected clock). */
  trainedAt: string;
  labelCount: number;
  /** Tunables the model was trained with. */
  params: { alpha: number; sharpness: number; minTokens: number; maxVocabulary: number; seed: number };
  /** Minimum posterior for a decision, per category. */
  thresholds: Record<string, number>;
  thresholdReport: Record<string, ThresholdReport>;
  /** Cross-validated figures over all labels (null when too few labels to fold). */
  evaluation: { folds: number; accuracy: number; decidedRate: number; decidedAccuracy: number } | null;
  /** Feature tokens, sorted; indices into the count arrays. */
  vocabulary: string[];
  /** Labelled documents per category. */
  documents: Record<string, number>;
  /** Per category, how many of its documents contained each vocabulary token. */
  counts: Record<string, number[]>;
}

/** Options of {@link trainClassifier}. */
export interface TrainOptions {
  /** Seed of the cross-validation folds and blends. @default 1 */
  seed?: number;
  /** Clock for `trainedAt`; inject it for a byte-identical model. @default Date.now */
  now?: () => number;
  /** Thresholds to use instead of the cross-validated ones, per category (0–1). */
  thresholds?: Record<string, number>;
  /** Cap on the vocabulary, most frequent (by documents) first. @default 5000 */
  maxVocabulary?: number;
  /** Fewer distinct known words than this and the file goes to review. @default 3 */
  minTokens?: number;
}
