/**
 * The sorter's pure core: rules (schema, parsing), text matching, condition evaluation,
 * destination templates, conflict resolution, decisions and plans. No catalog, no
 * filesystem: the forge and the CLI bring those.
 *
 * @module
 */
export {
  type ConditionContext,
  type ConditionResult,
  combine,
  evaluateCondition,
  fieldValue,
} from './conditions.js';
export {
  CONFLICT_MODES,
  type ConflictMode,
  type ConflictResolution,
  freeName,
  numberedName,
  type Occupant,
  resolveConflict,
  TRASH_FOLDER,
} from './conflict.js';
export {
  type Classify,
  type ConditionExplanation,
  type DecideOptions,
  type Decision,
  decide,
  type Explanation,
  type ModelVerdict,
  type RuleExplanation,
} from './decide.js';
export { type PartialRatio, partialRatio } from './fuzzy.js';
export { parseRules, type RuleIssue } from './parse-rules.js';
export { type PlanItem, planSort } from './plan.js';
export { compileRegex, DEFAULT_REGEX_TIMEOUT_MS, type RegexRun, runRegex } from './regex-run.js';
export {
  type Condition,
  conditionSchema,
  FIELD_OPS,
  type FieldCondition,
  type FieldOp,
  type GroupCondition,
  type MatchMode,
  type NotCondition,
  type Rule,
  ruleJsonSchema,
  ruleSchema,
  SUBJECT_FIELDS,
  type TextCondition,
} from './rule-schema.js';
export { parseSize } from './sizes.js';
export {
  extractedText,
  type SortSubject,
  type SubjectFromRecordOptions,
  subjectFromRecord,
} from './subject.js';
export {
  FALLBACK_TEMPLATE,
  isKeptSegment,
  nameStem,
  type RenderOptions,
  renderDestination,
  templateProblem,
} from './template.js';
export {
  FUZZY_THRESHOLD,
  matchText,
  splitTerms,
  TEXT_ALGORITHMS,
  type TextAlgorithm,
  type TextMatch,
  type TextMatchOptions,
} from './text-match.js';
