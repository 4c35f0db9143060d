import { type ConditionResult, combine, evaluateCondition } from './conditions.js';
import type { ConflictMode } from './conflict.js';
import { DEFAULT_REGEX_TIMEOUT_MS } from './regex-run.js';
import type { Condition, Rule } from './rule-schema.js';
import type { SortSubject } from './subject.js';
import { renderDestination } from './template.js';

/** The learned classifier's answer for one subject. */
export interface ModelVerdict {
  /** Best category, or `null` when the model has none. */
  category: string | null;
  /** Confidence 0–1 of `category`. */
  score: number;
  /** The per-category threshold `score` was held against. */
  threshold: number;
  /** `score >= threshold`: false sends the file to review instead of a guess. */
  decided: boolean;
  /** The terms that weighed most, for the explanation. */
  terms?: string[];
}

/** The classifier `algorithm: auto` consults (injected so the sorter stays pure). */
export type Classify = (subject: SortSubject) => Promise<ModelVerdict> | ModelVerdict;

/** One condition in an explanation. */
export interface ConditionExplanation {
  description: string;
  matched: boolean;
  words?: string[];
  score?: number;
}

/** One rule tried, in an explanation. */
export interface RuleExplanation {
  ruleId: string;
  matched: boolean;
  conditions: ConditionExplanation[];
}

/** Why a file got its category and destination, readable by a person. */
export interface Explanation {
  /** A sentence, e.g. `Rule "invoices" matched: mime in [application/pdf]; text any "invoice" matched words invoice`. */
  summary: string;
  /** Every rule tried, in order, until one matched without `continue`. */
  rules: RuleExplanation[];
  /** The model's verdict, when a rule asked it (`algorithm: auto`). */
  model?: { category: string | null; score: number; threshold: number; terms?: string[] };
}

/** What the sorter decided for one file. */
export interface Decision {
  subject: SortSubject;
  /** The rule whose destination wins; when no matching rule has one, the rule whose category wins. */
  ruleId: string | null;
  category: string | null;
  /** Rendered relative POSIX path; `null` leaves the file in place. */
  destination: string | null;
  onConflict: ConflictMode;
  /** Who decided the category: a rule, or the model through a rule whose only condition is `auto`. */
  decidedBy: { kind: 'rule' | 'model'; ruleId?: string; score?: number; threshold?: number } | null;
  explanation: Explanation;
  warnings: string[];
}

/** Options for {@link decide}. */
export interface DecideOptions {
  /** The learned classifier, asked at most once per subject and only if a rule uses `auto`. */
  classify?: Classify;
  /** Limit for each regex search. @default 100 */
  regexTimeoutMs?: number;
  /** Clock for `{now:…}` in templates. @default Date.now */
  now?: () => number;
}

function usesAuto(conditions: readonly Condition[]): boolean {
  return conditions.some((c) =>
    'algorithm' in c
      ? c.algorithm === 'auto'
      : 'not' in c
        ? usesAuto([c.not])
        : 'conditions' in c
          ? usesAuto(c.conditions)
          : false,
  );
}

function isModelRule(rule: Rule): boolean {
  const only = rule.conditions.length === 1 ? rule.conditions[0] : undefined;
  return only !== undefined && 'algorithm' in only && only.algorithm === 'auto';
}

function describe(result: ConditionExplanation): string {
  let out = result.description;
  if (result.words && result.words.length > 0) out += ` matched words ${result.words.join(', ')}`;
  if (result.score !== undefined) out += ` (score ${result.score})`;
  return out;
}

function ruleSentence(rule: Rule, explained: RuleExplanation): string {
  const head = `Rule "${rule.id}" matched`;
  if (explained.conditions.length === 0) return `${head} (no conditions)`;
  if (rule.match === 'none')
    return `${head}: none of ${explained.conditions.map((c) => c.description).join('; ')}`;
  return `${head}: ${explained.conditions
    .filter((c) => c.matched)
    .map(describe)
    .join('; ')}`;
}

function toExplanation(result: ConditionResult): ConditionExplanation {
  return {
    description: result.description,
    matched: result.matched,
    ...(result.words ? { words: result.words } : {}),
    ...(result.score !== undefined ? { score: result.score } : {}),
  };
}

/**
 * Decides category and destination for one file.
 *
 * Enabled rules run by `priority` (highest first; equal priorities keep list order). The
 * first matching rule wins and stops the search, unless it has `continue: true`: then later
 * rules are tried too, until one matches without `continue`. Among the matching rules,
 * **the first one with a category decides the category** (the most specific rule labels
 * the file) and **the last one with a destination decides where it goes** (a later
 * rule refines the move), with that rule's `onConflict`. A rule whose only condition is
 * `algorithm: auto` is decided by the model (`decidedBy.kind: 'model'`, with score and
 * threshold); a verdict below its threshold does not match. When no rule matches, category
 * and `destination` are `null`.
 *
 * A bad or runaway regex never fails the decision: the condition is "no match" and the
 * warning lands in `warnings`. A classifier that throws likewise only warns.
 */
export async function decide(
  subject: SortSubject,
  rules: Rule[],
  options: DecideOptions = {},
): Promise<Decision> {
  const regexTimeoutMs = options.regexTimeoutMs ?? DEFAULT_REGEX_TIMEOUT_MS;
  const { ordered, auto } = orderOf(rules);
  const warnings: string[] = [];
  let verdict: ModelVerdict | null = null;
  if (options.classify && auto) {
    try {
      verdict = await options.classify(subject);
    } catch (error) {
      warnings.push(
        `[fileforge:sorter] The classifier failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const tried: Tried[] = [];
  let categoryRule: Rule | null = null;
  let destinationRule: Rule | null = null;
  let matchedAny = false;
  for (const rule of ordered) {
    const results = rule.conditions.map((c) =>
      evaluateCondition(c, subject, { verdict, category: rule.category, regexTimeoutMs }),
    );
    for (const r of results) if (r.warning && !warnings.includes(r.warning)) warnings.push(r.warning);
    const matched = combine(rule.match, results);
    tried.push({ rule, results, matched });
    if (!matched) continue;
    matchedAny = true;
    if (categoryRule === null && rule.category !== null) categoryRule = rule;
    if (rule.destination !== undefined) destinationRule = rule;
    if (!rule.continue) break;
  }

  const category = categoryRule?.category ?? null;
  let destination: string | null = null;
  if (destinationRule?.destination !== undefined) {
    const rendered = renderDestination(
      destinationRule.destination,
      { ...subject, category: category ?? subject.category ?? null },
      { now: options.now },
    );
    destination = rendered.path;
    warnings.push(...rendered.warnings);
  }
  const decider = categoryRule ?? destinationRule;
  const decidedBy: Decision['decidedBy'] =
    decider === null
      ? null
      : isModelRule(decider) && verdict
        ? { kind: 'model', ruleId: decider.id, score: verdict.score, threshold: verdict.threshold }
        : { kind: 'rule', ruleId: decider.id };

  const decision = {
    subject,
    ruleId: (destinationRule ?? categoryRule)?.id ?? null,
    category,
    destination,
    onConflict: destinationRule?.onConflict ?? 'rename_new',
    decidedBy,
    warnings,
  } as Decision;
  // Built when first read: planning a run reads destinations only, and the sentences cost
  // more than the decision itself. An own enumerable property all the same (spreads and
  // JSON see it), through one shared accessor, so every decision keeps the same shape.
  explanations.set(decision, { tried, enabledCount: ordered.length, matchedAny, verdict });
  Object.defineProperty(decision, 'explanation', LAZY_EXPLANATION);
  return decision;
}

/** What a decision's explanation is built from, until it is first read (or set). */
interface PendingExplanation {
  tried: readonly Tried[];
  enabledCount: number;
  matchedAny: boolean;
  verdict: ModelVerdict | null;
}

const explanations = new WeakMap<Decision, PendingExplanation | Explanation>();

const LAZY_EXPLANATION: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Decision): Explanation {
    const kept = explanations.get(this);
    if (kept === undefined || 'summary' in kept) return kept as Explanation;
    const built = explain(kept.tried, kept.enabledCount, kept.matchedAny, kept.verdict);
    explanations.set(this, built);
    return built;
  },
  set(this: Decision, value: Explanation) {
    explanations.set(this, value);
  },
};

/** One rule tried, as {@link decide} keeps it for the explanation. */
interface Tried {
  rule: Rule;
  results: ConditionResult[];
  matched: boolean;
}

/** Enabled rules by priority (highest first, then list order), and whether one asks the model. */
interface Order {
  ordered: Rule[];
  auto: boolean;
  /** What the order was computed from: each rule with its `enabled` and `priority` then. */
  from: Array<{ rule: Rule; enabled: boolean; priority: number }>;
}

/** Orders kept per rules array (a plan decides thousands of files with one). */
const orders = new WeakMap<readonly Rule[], Order>();

/** The order of `rules`, computed again when the array or a rule's `enabled` or `priority` changed. */
function orderOf(rules: Rule[]): Order {
  const kept = orders.get(rules);
  if (
    kept &&
    kept.from.length === rules.length &&
    kept.from.every(
      (f, i) => f.rule === rules[i] && f.enabled === f.rule.enabled && f.priority === f.rule.priority,
    )
  ) {
    return kept;
  }
  const ordered = rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled)
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => rule);
  const order: Order = {
    ordered,
    auto: ordered.some((rule) => usesAuto(rule.conditions)),
    from: rules.map((rule) => ({ rule, enabled: rule.enabled, priority: rule.priority })),
  };
  orders.set(rules, order);
  return order;
}

/** The explanation of a decision: every rule tried, the matching ones' sentences, the model's say. */
function explain(
  tried: readonly Tried[],
  enabledCount: number,
  matchedAny: boolean,
  verdict: ModelVerdict | null,
): Explanation {
  const explained: RuleExplanation[] = tried.map(({ rule, results, matched }) => ({
    ruleId: rule.id,
    matched,
    conditions: results.map(toExplanation),
  }));
  const sentences = matchedAny
    ? tried.flatMap((t, i) => (t.matched ? [ruleSentence(t.rule, explained[i] as RuleExplanation)] : []))
    : [];
  let summary =
    sentences.length > 0
      ? sentences.join('. ')
      : enabledCount === 0
        ? 'No rules to apply'
        : `No rule matched (${enabledCount} tried)`;
  if (verdict) {
    summary += `. Model says ${verdict.category === null ? 'nothing' : `"${verdict.category}"`} (score ${verdict.score}, threshold ${verdict.threshold}${verdict.decided ? '' : ', below threshold: needs review'})`;
  }
  return {
    summary: `${summary}.`,
    rules: explained,
    ...(verdict
      ? {
          model: {
            category: verdict.category,
            score: verdict.score,
            threshold: verdict.threshold,
            ...(verdict.terms ? { terms: verdict.terms } : {}),
          },
        }
      : {}),
  };
}
