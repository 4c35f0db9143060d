import type { Explanation } from '../sorter/decide.js';

/** Where a file stands with the classifier: decided (by a rule, the model or a person), waiting for review, or not classified. */
export type ClassificationStatus = 'unclassified' | 'decided' | 'review';

/** Who decided a file's category. */
export interface ClassificationDecider {
  kind: 'rule' | 'model' | 'person';
  /** The deciding rule's id (`kind: 'rule'`). */
  ruleId?: string;
  /** The model's confidence (`kind: 'model'`). */
  score?: number;
  /** The category's confidence threshold the score was held against (`kind: 'model'`). */
  threshold?: number;
  /** The person who confirmed or corrected the category (`kind: 'person'`). */
  userId?: string;
}

/**
 * A file's classification, with the explanation people read: which rule or model decided,
 * which conditions and words matched, the score and the threshold. Before any model exists a
 * file no rule decides is `unclassified`; with a model, a score below the category's threshold
 * sends it to `review` instead of a guess.
 */
export interface Classification {
  status: ClassificationStatus;
  category: string | null;
  decidedBy: ClassificationDecider | null;
  explanation: Explanation;
  /** ISO 8601. */
  decidedAt: string;
}
