import type { ModelVerdict } from './decide.js';
import { partialRatio } from './fuzzy.js';
import { DEFAULT_REGEX_TIMEOUT_MS, runRegex } from './regex-run.js';

/** The text matching algorithms, named and behaving as in Paperless-ngx. */
export const TEXT_ALGORITHMS = ['none', 'any', 'all', 'exact', 'regex', 'fuzzy', 'auto'] as const;
/** One of {@link TEXT_ALGORITHMS}. */
export type TextAlgorithm = (typeof TEXT_ALGORITHMS)[number];

/** Fuzzy matches need at least this partial similarity (0–100). */
export const FUZZY_THRESHOLD = 90;
/**
 * Fuzzy matching costs |pattern| × |text|: a pattern is at most this long (the rule schema
 * refuses longer ones) and only the start of the text, {@link FUZZY_MAX_TEXT} characters, is
 * searched — about 50 million steps at worst, instead of unbounded work per file.
 */
export const FUZZY_MAX_PATTERN = 256;
/** See {@link FUZZY_MAX_PATTERN}. */
export const FUZZY_MAX_TEXT = 200_000;

/** What one text match found, so explanations can say why. */
export interface TextMatch {
  matched: boolean;
  /** The words or phrases that matched (`any`, `all`, `exact`, `regex`, `fuzzy`). */
  words?: string[];
  /** Similarity 0–100 (`fuzzy`), or the model's confidence (`auto`). */
  score?: number;
  /** Why the answer is "no match" although the search could not run (bad regex, time limit). */
  warning?: string;
}

/** Options for {@link matchText}. */
export interface TextMatchOptions {
  /** @default true */
  caseInsensitive?: boolean;
  /** Limit for one `regex` search. @default 100 */
  regexTimeoutMs?: number;
  /** The classifier's verdict, for `auto`. */
  verdict?: ModelVerdict | null;
  /** The category `auto` looks for (the pattern when empty). */
  category?: string | null;
}

const TERMS = /"([^"]+)"|(\S+)/g;
const WORD = '[\\p{L}\\p{N}_]';

/**
 * Splits a match string the way Paperless does: whitespace separates terms, a "quoted
 * phrase" is one term; whitespace inside a term is normalised to single spaces.
 *
 * @example splitTerms('invoice "amount due"') // ['invoice', 'amount due']
 */
export function splitTerms(pattern: string): string[] {
  const terms: string[] = [];
  for (const found of pattern.matchAll(TERMS)) {
    const term = (found[1] ?? found[2] ?? '').trim().replace(/\s+/g, ' ');
    if (term !== '') terms.push(term);
  }
  return terms;
}

function escapeRegex(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A regex finding `term` as whole words (Unicode-aware boundaries; any whitespace between words). */
function wordRegex(term: string, caseInsensitive: boolean): RegExp {
  const body = term.split(' ').map(escapeRegex).join('\\s+');
  return new RegExp(`(?<!${WORD})${body}(?!${WORD})`, caseInsensitive ? 'iu' : 'u');
}

/** Split match strings kept (a rule's string is matched against every file a run decides). */
const TERMS_KEPT = 512;
const termsOf = new Map<string, readonly string[]>();

/** {@link splitTerms}, once per match string. */
function cachedTerms(pattern: string): readonly string[] {
  let terms = termsOf.get(pattern);
  if (terms === undefined) {
    terms = splitTerms(pattern);
    if (termsOf.size >= TERMS_KEPT) termsOf.delete(termsOf.keys().next().value as string);
    termsOf.set(pattern, terms);
  }
  return terms;
}

/** Compiled word regexes kept, by term and case mode; the oldest dropped past this. */
const WORD_REGEXES_KEPT = 512;
const wordRegexes = new Map<string, RegExp>();

/**
 * {@link wordRegex}, compiled once per term: a rule's terms are matched against every file a
 * run decides. Shared safely: without the `g` or `y` flag, `test` keeps no state.
 */
function cachedWordRegex(term: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 'c'}${term}`;
  let regex = wordRegexes.get(key);
  if (!regex) {
    regex = wordRegex(term, caseInsensitive);
    if (wordRegexes.size >= WORD_REGEXES_KEPT) wordRegexes.delete(wordRegexes.keys().next().value as string);
    wordRegexes.set(key, regex);
  }
  return regex;
}

function stripPunctuation(value: string, caseInsensitive: boolean): string {
  const bare = value.replace(/[^\p{L}\p{N}\s_]/gu, '').replace(/\s+/g, ' ');
  return caseInsensitive ? bare.toLowerCase() : bare;
}

/**
 * Matches `text` against `pattern` with one algorithm (Paperless-ngx semantics):
 *
 * - `none` never matches.
 * - `any`: any term (whole word, or "quoted phrase") occurs; `all`: every term occurs.
 * - `exact`: the whole pattern occurs with word boundaries on both sides (`bc hydro` does
 *   not match `abc hydrox`); whitespace in the pattern matches any run of whitespace.
 * - `regex`: a JavaScript regular expression, searched with a time limit; a bad pattern or
 *   a timeout is no match with a `warning`, never an exception.
 * - `fuzzy`: punctuation stripped from both sides, best partial similarity
 *   ({@link partialRatio}) of at least {@link FUZZY_THRESHOLD}.
 * - `auto`: the learned classifier decided `category` (or `pattern` when no category is given).
 *
 * Terms are escaped: only `regex` interprets pattern syntax, so only `regex` needs a limit.
 */
export function matchText(
  algorithm: TextAlgorithm,
  pattern: string,
  text: string,
  options: TextMatchOptions = {},
): TextMatch {
  const ci = options.caseInsensitive ?? true;
  switch (algorithm) {
    case 'none':
      return { matched: false };
    case 'any':
    case 'all': {
      const terms = cachedTerms(pattern);
      const words = terms.filter((term) => cachedWordRegex(term, ci).test(text));
      const matched =
        algorithm === 'any' ? words.length > 0 : terms.length > 0 && words.length === terms.length;
      return { matched, words };
    }
    case 'exact': {
      const phrase = pattern.trim().replace(/\s+/g, ' ');
      const matched = phrase !== '' && cachedWordRegex(phrase, ci).test(text);
      return matched ? { matched, words: [phrase] } : { matched };
    }
    case 'regex': {
      const run = runRegex(pattern, text, {
        caseInsensitive: ci,
        timeoutMs: options.regexTimeoutMs ?? DEFAULT_REGEX_TIMEOUT_MS,
      });
      if (run.warning !== undefined) return { matched: false, warning: run.warning };
      return run.match === null ? { matched: false } : { matched: true, words: [run.match.text] };
    }
    case 'fuzzy': {
      const needle = stripPunctuation(pattern.slice(0, FUZZY_MAX_PATTERN), ci).trim();
      if (needle === '') return { matched: false, score: 0 };
      const best = partialRatio(needle, stripPunctuation(text.slice(0, FUZZY_MAX_TEXT), ci));
      const matched = best.score >= FUZZY_THRESHOLD;
      return matched ? { matched, score: best.score, words: [best.found] } : { matched, score: best.score };
    }
    case 'auto': {
      const verdict = options.verdict;
      const wanted = options.category ?? (pattern === '' ? null : pattern);
      if (!verdict)
        return { matched: false, warning: '[fileforge:sorter] No classifier available for `auto`' };
      const matched = verdict.decided && wanted !== null && verdict.category === wanted;
      return { matched, score: verdict.score, ...(verdict.terms ? { words: verdict.terms } : {}) };
    }
  }
}
