/**
 * The learned classifier: multinomial naive Bayes over text words, name tokens, MIME type
 * and metadata buckets, with per-category thresholds chosen by cross-validation; below a
 * threshold (or with too little text) a file goes to review instead of being guessed.
 *
 * @module
 */
export { classifyWith } from './classify.js';
export { extractFeatures, type Features } from './features.js';
export { NUMBER_TOKEN, tokenize } from './tokenize.js';
export { trainClassifier } from './train.js';
export type {
  ClassifierModel,
  ClassifierSubject,
  ClassifierVerdict,
  LabelledExample,
  ModelVerdict,
  ThresholdReport,
  TrainOptions,
} from './types.js';
